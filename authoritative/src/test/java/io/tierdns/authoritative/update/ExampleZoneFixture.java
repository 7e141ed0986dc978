package io.tierdns.authoritative.update;

import static io.tierdns.authoritative.update.UpdateTesting.example;

import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the UPDATE tests that edit {@link UpdateTesting#example()}: before each test, a fresh
 * registry holding it as {@link #before} and an in-memory writer over that registry.
 */
abstract class ExampleZoneFixture {

  ZoneRegistry registry;
  InMemoryZoneWriter writer;
  ZoneSnapshot before;

  @BeforeEach
  void setUpExampleZone() {
    registry = new ZoneRegistry();
    before = example();
    registry.put(before);
    writer = new InMemoryZoneWriter(registry);
  }
}
