package io.tierdns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class ZoneRecordsTest {

  private static final Name ORIGIN = Name.fromConstantString("example.test.");

  private static Record rr(String text) throws Exception {
    String[] f = text.split(" ", 3);
    return Record.fromString(Name.fromString(f[0], ORIGIN), Type.value(f[1]), 1, 300, f[2], ORIGIN);
  }

  @Test
  void aRecordOfTheSameOwnerTakesTheOwnerNameOfTheOneBefore() throws Exception {
    Record a = rr("host A 192.0.2.1");
    Record aaaa = rr("host AAAA 2001:db8::1");
    Record shared = ZoneRecords.sharingOwner(aaaa, a);
    assertThat(shared.getName()).isSameAs(a.getName());
    assertThat(shared).isEqualTo(aaaa);
    assertThat(shared.getTTL()).isEqualTo(aaaa.getTTL());
  }

  @Test
  void anotherOwnerOrNoRecordBeforeLeavesTheRecordAsItIs() throws Exception {
    Record a = rr("host A 192.0.2.1");
    Record other = rr("other A 192.0.2.2");
    assertThat(ZoneRecords.sharingOwner(other, a)).isSameAs(other);
    assertThat(ZoneRecords.sharingOwner(other, null)).isSameAs(other);
    Record same = ZoneRecords.sharingOwner(a, a);
    assertThat(same).isSameAs(a);
  }

  @Test
  void anOwnerSpelledInAnotherCaseTakesTheEarlierSpelling() throws Exception {
    Record a = rr("Host A 192.0.2.1");
    Record txt = rr("host TXT \"t\"");
    assertThat(ZoneRecords.sharingOwner(txt, a).getName().toString()).isEqualTo("Host.example.test.");
  }

  /** unifyTtl sorts a set as Record#compareTo does (RFC 4034 §6.3), small and large sets alike. */
  @Test
  void anRrsetIsSortedAsRecordCompareToSortsIt() throws Exception {
    java.util.List<Record> mx = new java.util.ArrayList<>();
    for (String target : java.util.List.of("b", "Mail.Example.Test.", "a", "mail2", "A.b")) {
      mx.add(rr("host MX 10 " + target));
    }
    mx.add(rr("host MX 5 z"));
    java.util.List<Record> txt = new java.util.ArrayList<>();
    for (int i = 40; i > 0; i--) {
      txt.add(rr("host TXT \"" + "x".repeat(i % 7) + i + "\""));
    }
    for (java.util.List<Record> set : java.util.List.of(mx, txt)) {
      java.util.List<Record> sorted = new java.util.ArrayList<>(set);
      sorted.sort(null);
      assertThat(ZoneRecords.unifyTtl(set)).as(set.size() + " records").containsExactlyElementsOf(sorted);
    }
  }
}
