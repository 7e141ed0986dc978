package io.tierdns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class CanonicalNamesTest {

  /** Label bytes that stress the key: the escaped 0 and 1, 2, letters of both cases, 255. */
  private static final byte[] ALPHABET = {0, 1, 2, '-', '0', '9', 'A', 'Z', '[', '_', 'a', 'z', '{', (byte) 0x80, (byte) 0xff};

  @Test
  void keysCompareAsNameCompareToDoesForRandomNames() throws Exception {
    Random random = new Random(8);
    List<Name> names = new ArrayList<>(List.of(Name.root)); // the root: a key of no bytes
    for (int i = 0; i < 3000; i++) {
      names.add(randomName(random));
    }
    for (int i = 0; i < names.size(); i++) {
      Name a = names.get(i);
      Name b = names.get(random.nextInt(names.size()));
      Name c = i > 0 ? names.get(i - 1) : a;
      for (Name other : List.of(b, c, a)) {
        int byName = Integer.signum(a.compareTo(other));
        int byKey = Integer.signum(Arrays.compareUnsigned(CanonicalNames.key(a), CanonicalNames.key(other)));
        assertThat(byKey).as("%s vs %s", a, other).isEqualTo(byName);
      }
    }
  }

  @Test
  void sortGivesTheOrderOfNameCompareTo() throws Exception {
    Random random = new Random(4034);
    Name[] names = new Name[2000];
    for (int i = 0; i < names.length; i++) {
      names[i] = randomName(random);
    }
    Name[] expected = names.clone();
    Arrays.sort(expected);
    CanonicalNames.sort(names, n -> n);
    for (int i = 0; i < names.length; i++) {
      assertThat(names[i].compareTo(expected[i])).as("position %d", i).isZero();
    }
  }

  @Test
  void namesEqualButForCaseKeepTheirOrderInLargeAndSmallGroups() throws Exception {
    // more of one name than the radix sort hands to insertion, and a few: both paths stable
    List<String> spellings = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      spellings.add(i % 2 == 0 ? "www.Example." : "WWW.example.");
    }
    spellings.addAll(List.of("b.example.", "a.EXAMPLE.", "A.example.", "a.example."));
    Name[] names = new Name[spellings.size()];
    Integer[] order = new Integer[names.length];
    java.util.Collections.shuffle(spellings, new Random(6));
    for (int i = 0; i < names.length; i++) {
      names[i] = Name.fromString(spellings.get(i));
      order[i] = i;
    }
    Integer[] sorted = order.clone();
    CanonicalNames.sort(sorted, i -> names[i]);
    Integer[] expected = order.clone();
    Arrays.sort(expected, (x, y) -> names[x].compareTo(names[y])); // stable: equal names in input order
    assertThat(sorted).containsExactly(expected);
  }

  @Test
  void aParentSortsBeforeItsChildrenAndCaseIsIgnored() throws Exception {
    Name[] names = {
      Name.fromString("Z.a.example."), Name.fromString("a.example."), Name.fromString("yljkjljk.a.example."),
      Name.fromString("example."), Name.fromString("*.z.example."), Name.fromString("\\001.z.example."),
      Name.fromString("z.example."), Name.fromString("zABC.a.EXAMPLE."), Name.fromString("\\200.z.example.")
    };
    CanonicalNames.sort(names, n -> n);
    // RFC 4034 §6.1's example order.
    assertThat(Arrays.stream(names).map(Name::toString))
        .containsExactly(
            "example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.", "zABC.a.EXAMPLE.",
            "z.example.", "\\001.z.example.", "*.z.example.", "\\200.z.example.");
  }

  private static Name randomName(Random random) throws Exception {
    java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
    int labels = 1 + random.nextInt(4);
    for (int i = 0; i < labels; i++) {
      int length = 1 + random.nextInt(4);
      wire.write(length);
      for (int j = 0; j < length; j++) {
        wire.write(ALPHABET[random.nextInt(ALPHABET.length)]);
      }
    }
    wire.write(0); // the root
    Name name = new Name(wire.toByteArray());
    assertThat(name.labels()).isEqualTo(labels + 1);
    return name;
  }
}
