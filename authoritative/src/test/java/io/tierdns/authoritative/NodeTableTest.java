package io.tierdns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void moreNamesThanItWasSizedForAreRefusedBeforeItFillsUp() {
    NodeTable t = new NodeTable(3);
    for (int i = 0; i < 3; i++) {
      t.put(name("n" + i + "."), i);
    }
    assertThatThrownBy(() -> t.put(name("n3."), 3)).isInstanceOf(IllegalStateException.class);
    assertThat(t.get(name("n2."))).isEqualTo(2);
  }
}
