package io.tierdns.node.api;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Beans of the admin API that are plain classes. */
@Factory
class ZoneFactoryBean {

  @Singleton
  ZoneFactory zoneFactory() {
    return new ZoneFactory(Clock.systemUTC());
  }
}
