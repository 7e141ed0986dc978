package io.tierdns.authoritative;

import static io.tierdns.authoritative.TestZones.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class ZoneRegistryTest {

  private static ZoneSnapshot zone(String origin, long serial) {
    return TestZones.zone(
        origin, "$TTL 60\n@ SOA ns h " + serial + " 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n");
  }

  @Test
  void putRemoveAndZoneLookUpByOrigin() {
    ZoneRegistry registry = new ZoneRegistry();
    registry.put(zone("a.test", 1));
    registry.put(zone("a.test", 2));
    assertThat(registry.zone(name("a.test")).orElseThrow().serial()).isEqualTo(2);
    registry.remove(name("a.test"));
    assertThat(registry.zone(name("a.test"))).isEmpty();
    registry.remove(name("never.test"));
    assertThat(registry.table().size()).isZero();
  }

  @Test
  void findZoneIsTheLongestMatch() {
    ZoneTable t = ZoneTable.of(List.of(zone("example.test", 1), zone("sub.example.test", 1)));
    assertThat(t.findZone(name("a.b.sub.example.test")).orElseThrow().origin())
        .isEqualTo(name("sub.example.test"));
    assertThat(t.findZone(name("sub.example.test")).orElseThrow().origin())
        .isEqualTo(name("sub.example.test"));
    assertThat(t.findZone(name("www.example.test")).orElseThrow().origin())
        .isEqualTo(name("example.test"));
    assertThat(t.findZone(name("example.org"))).isEmpty();
    assertThat(t.findZone(Name.root)).isEmpty();
  }

  @Test
  void twoSnapshotsWithOneOriginAreRejectedAndNothingIsReplaced() {
    ZoneRegistry registry = new ZoneRegistry();
    registry.put(zone("a.test", 1));
    assertThatThrownBy(() -> registry.replaceAll(List.of(zone("b.test", 1), zone("b.test", 2))))
        .isInstanceOf(ZoneException.class);
    assertThat(registry.zone(name("a.test"))).isPresent();
  }

  @Test
  void replaceAllIsAtomicForAConcurrentReader() throws InterruptedException {
    // Two sets of zones with the same origins and different serials: a reader must always see
    // every zone, all from one set, never a table with a zone missing or the sets mixed.
    List<Name> origins = new ArrayList<>();
    List<ZoneSnapshot> even = new ArrayList<>();
    List<ZoneSnapshot> odd = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String origin = "z" + i + ".test";
      origins.add(name(origin));
      even.add(zone(origin, 2));
      odd.add(zone(origin, 3));
    }
    ZoneRegistry registry = new ZoneRegistry();
    registry.replaceAll(even);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong reads = new AtomicLong();
    List<String> problems = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              while (!stop.get()) {
                ZoneTable t = registry.table();
                long serial = -1;
                for (Name origin : origins) {
                  var z = t.findZone(origin);
                  if (z.isEmpty()) {
                    problems.add("missing " + origin);
                    return;
                  }
                  if (serial != -1 && z.get().serial() != serial) {
                    problems.add("mixed serials at " + origin);
                    return;
                  }
                  serial = z.get().serial();
                }
                reads.incrementAndGet();
              }
            });
    reader.start();
    for (int swap = 0; swap < 20_000; swap++) {
      registry.replaceAll(swap % 2 == 0 ? odd : even);
    }
    stop.set(true);
    reader.join();
    assertThat(problems).isEmpty();
    assertThat(reads.get()).isPositive();
  }
}
