package io.tierdns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class NodeTableTest {

  private static Name name(String s) {
    return Name.fromConstantString(s);
  }

  @Test
  void namesOfEqualHashCodesAreToldApart() {
    // dnsjava's hash multiplies by 9 and adds the next byte: '1','9' and '2','0' give one code.
    Name a = name("w19.bench.test.");
    Name b = name("w20.bench.test.");
    assertThat(a.hashCode()).isEqualTo(b.hashCode());
    NodeTable t = new NodeTable(2);
    t.put(a, "a");
    assertThat(t.get(b)).isNull();
    assertThat(t.containsKey(b)).isFalse();
    t.put(b, "b");
    assertThat(t.get(a)).isEqualTo("a");
    assertThat(t.get(b)).isEqualTo("b");
    assertThat(t.get(name("W19.Bench.TEST."))).as("case-insensitive, as Name.equals").isEqualTo("a");
    assertThat(t.size()).isEqualTo(2);
  }

  @Test
  void agreesWithAHashMapOverManyNames() {
    List<Name> names = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      names.add(name("host-" + i + ".bench.test."));
    }
    NodeTable t = new NodeTable(names.size());
    Map<Name, Object> expected = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      t.put(names.get(i), i);
      expected.put(names.get(i), i);
    }
    t.put(names.get(7), "replaced");
    expected.put(names.get(7), "replaced");
    assertThat(t.size()).isEqualTo(expected.size());
    for (Name n : names) {
      assertThat(t.get(n)).isEqualTo(expected.get(n));
    }
    for (int i = 50_000; i < 60_000; i++) {
      assertThat(t.containsKey(name("host-" + i + ".bench.test."))).isFalse();
    }
  }

  @Test
  void namesPutAsNewAreFoundRemovedAndCopiedAsThoseOfPut() {
    // putNew skips the comparisons put makes, for names the caller knows are not there yet
    NodeTable t = new NodeTable(2); // grows: 20,000 names where 2 were expected
    Map<Name, Object> expected = new HashMap<>();
    Name a = name("w19.bench.test.");
    Name b = name("w20.bench.test."); // the same hash code as a
    t.putNew(a, "a");
    t.putNew(b, "b");
    expected.put(a, "a");
    expected.put(b, "b");
    for (int i = 0; i < 20_000; i++) {
      Name n = name("host-" + i + ".bench.test.");
      t.putNew(n, i);
      expected.put(n, i);
    }
    assertThat(t.size()).isEqualTo(expected.size());
    expected.forEach((n, v) -> assertThat(t.get(n)).isEqualTo(v));
    assertThat(t.remove(a)).isTrue();
    assertThat(t.get(b)).isEqualTo("b");
    NodeTable copy = t.copy(1);
    copy.put(b, "b2");
    assertThat(t.get(b)).isEqualTo("b");
    assertThat(copy.get(b)).isEqualTo("b2");
    assertThat(copy.get(name("host-19999.bench.test."))).isEqualTo(19_999);
  }

  @Test
  void growsBeyondTheNamesItWasSizedFor() {
    NodeTable t = new NodeTable(3);
    for (int i = 0; i < 20_000; i++) { // from one chunk of 8 slots to several chunks
      assertThat(t.add(name("n" + i + "."), i)).isTrue();
    }
    assertThat(t.add(name("n7."), "again")).as("present: not added, not replaced").isFalse();
    assertThat(t.size()).isEqualTo(20_000);
    for (int i = 0; i < 20_000; i++) {
      assertThat(t.get(name("n" + i + "."))).isEqualTo(i);
    }
  }

  @Test
  void aCopySharesChunksUntilItWritesThem() {
    NodeTable base = new NodeTable(100_000); // 262,144 slots: one array, 64 chunks once copied
    for (int i = 0; i < 100_000; i++) {
      base.put(name("h" + i + ".bench.test."), i);
    }
    NodeTable next = base.copy(10);
    next.put(name("h5.bench.test."), "changed");
    assertThat(next.remove(name("h6.bench.test."))).isTrue();
    assertThat(next.remove(name("h6.bench.test."))).isFalse();
    next.put(name("new.bench.test."), "new");
    assertThat(base.get(name("h5.bench.test."))).isEqualTo(5);
    assertThat(base.get(name("h6.bench.test."))).isEqualTo(6);
    assertThat(base.containsKey(name("new.bench.test."))).isFalse();
    assertThat(base.size()).isEqualTo(100_000);
    assertThat(next.get(name("h5.bench.test."))).isEqualTo("changed");
    assertThat(next.containsKey(name("h6.bench.test."))).isFalse();
    assertThat(next.get(name("new.bench.test."))).isEqualTo("new");
    assertThat(next.size()).isEqualTo(100_000);
    for (int i = 7; i < 100_000; i++) {
      assertThat(next.get(name("h" + i + ".bench.test."))).isEqualTo(i);
    }
    // a copy of the copy (the first cut the table built whole into chunks): shared again
    NodeTable third = next.copy(0);
    third.put(name("h7.bench.test."), "third");
    assertThat(third.remove(name("new.bench.test."))).isTrue();
    assertThat(next.get(name("h7.bench.test."))).isEqualTo(7);
    assertThat(next.get(name("new.bench.test."))).isEqualTo("new");
    assertThat(base.get(name("h7.bench.test."))).isEqualTo(7);
    assertThat(third.get(name("h7.bench.test."))).isEqualTo("third");
    assertThat(third.size()).isEqualTo(99_999);
  }

  @Test
  void removalsAndCopiesAgreeWithAHashMap() {
    // Few distinct hash codes and a small table: long probe runs that wrap around the array end,
    // so removals move entries back across it.
    java.util.Random random = new java.util.Random(42);
    List<Name> pool = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      pool.add(name("w" + (10 + random.nextInt(60)) + "-" + i % 7 + ".bench.test."));
    }
    NodeTable t = new NodeTable(64);
    Map<Name, Object> expected = new HashMap<>();
    for (int step = 0; step < 20_000; step++) {
      Name n = pool.get(random.nextInt(pool.size()));
      if (random.nextInt(3) == 0 || expected.size() >= 64) {
        t.remove(n);
        expected.remove(n);
      } else {
        t.put(n, step);
        expected.put(n, step);
      }
      if (step % 1000 == 0) {
        NodeTable before = t;
        Map<Name, Object> beforeExpected = new HashMap<>(expected);
        t = t.copy(random.nextInt(200)); // sometimes room enough, sometimes a larger table
        t.remove(pool.get(0));
        expected.remove(pool.get(0));
        for (Name p : pool) {
          assertThat(before.get(p)).as("the table copied from is unchanged").isEqualTo(beforeExpected.get(p));
        }
      }
      assertThat(t.size()).isEqualTo(expected.size());
    }
    for (Name p : pool) {
      assertThat(t.get(p)).as(p.toString()).isEqualTo(expected.get(p));
      assertThat(t.containsKey(p)).isEqualTo(expected.containsKey(p));
    }
  }
}
