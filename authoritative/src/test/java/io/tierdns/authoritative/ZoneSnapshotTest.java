package io.tierdns.authoritative;

import static io.tierdns.authoritative.TestZones.name;
import static io.tierdns.authoritative.TestZones.parse;
import static io.tierdns.authoritative.TestZones.zone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class ZoneSnapshotTest {

  private static final String HEAD = "$TTL 300\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n";

  @Test
  void exposesOriginSoaSerialAndRecordsInCanonicalOrder() {
    ZoneSnapshot z = zone("example.test", HEAD + "b A 192.0.2.2\na A 192.0.2.3\n");
    assertThat(z.origin()).isEqualTo(name("example.test"));
    assertThat(z.serial()).isEqualTo(1);
    assertThat(z.soa().getMinimum()).isEqualTo(5);
    List<Record> sorted = new ArrayList<>(z.records());
    sorted.sort(null);
    assertThat(z.records()).containsExactlyElementsOf(sorted).hasSize(5);
    assertThat(z.rrset(name("a.example.test"), Type.A)).isPresent();
    assertThat(z.rrset(name("a.example.test"), Type.AAAA)).isEmpty();
  }

  @Test
  void collapsesDuplicateRecords() {
    ZoneSnapshot z = zone("example.test", HEAD + "a A 192.0.2.3\na 60 A 192.0.2.3\n");
    assertThat(z.rrset(name("a.example.test"), Type.A).orElseThrow().size()).isEqualTo(1);
  }

  @Test
  void recordsWhoseRdataDifferOnlyInTheCaseOfANameAreDuplicates() {
    // Record#equals compares canonical RDATA (RFC 4034 §6.2): the first spelling is kept
    ZoneSnapshot z = zone("example.test", HEAD + "a MX 10 Mail.Example.Test.\na MX 10 mail.example.test.\na MX 20 b\n");
    assertThat(z.rrset(name("a.example.test"), Type.MX).orElseThrow().rrs())
        .extracting(Record::rdataToString)
        .containsExactly("10 Mail.Example.Test.", "20 b.example.test.");
  }

  @Test
  void unifiesRrsetTtlsToTheLowestAsRfc2181Says() {
    ZoneSnapshot z = zone("example.test", HEAD + "a 600 A 192.0.2.3\na 60 A 192.0.2.4\n");
    assertThat(z.rrset(name("a.example.test"), Type.A).orElseThrow().rrs())
        .extracting(Record::getTTL)
        .containsOnly(60L);
  }

  @Test
  void negativeSoaTtlIsTheMinimumOfTtlAndMinimumField() {
    assertThat(zone("example.test", HEAD).negativeSoa().getTTL()).isEqualTo(5);
    assertThat(zone("example.test", HEAD.replace("$TTL 300", "$TTL 2")).negativeSoa().getTTL())
        .isEqualTo(2);
  }

  @Test
  void rejectsAZoneWithoutSoa() {
    assertThatThrownBy(() -> zone("example.test", "@ 300 NS ns\n"))
        .isInstanceOf(ZoneException.class)
        .hasMessageContaining("no SOA");
  }

  @Test
  void rejectsTwoSoaRecords() {
    assertThatThrownBy(() -> zone("example.test", HEAD + "@ SOA ns h 2 2 3 4 5\n"))
        .isInstanceOf(ZoneException.class)
        .hasMessageContaining("more than one SOA");
  }

  @Test
  void rejectsASoaBelowTheApex() {
    assertThatThrownBy(() -> zone("example.test", HEAD + "x SOA ns h 2 2 3 4 5\n"))
        .isInstanceOf(ZoneException.class)
        .hasMessageContaining("x.example.test.")
        .hasMessageContaining("not at the zone apex");
  }

  @Test
  void rejectsAZoneWithoutApexNs() {
    assertThatThrownBy(() -> zone("example.test", "$TTL 300\n@ SOA ns h 1 2 3 4 5\n"))
        .isInstanceOf(ZoneException.class)
        .hasMessageContaining("no NS");
  }

  @Test
  void rejectsARecordOutsideTheOrigin() {
    assertThatThrownBy(() -> zone("example.test", HEAD + "www.other.test. A 192.0.2.1\n"))
        .isInstanceOf(ZoneException.class)
        .hasMessageContaining("www.other.test.")
        .hasMessageContaining("outside");
  }

  @Test
  void rejectsACnameBesideOtherData() {
    assertThatThrownBy(() -> zone("example.test", HEAD + "a CNAME www\na TXT \"x\"\n"))
        .isInstanceOf(ZoneException.class)
        .hasMessageContaining("a.example.test.")
        .hasMessageContaining("beside other data");
  }

  @Test
  void rejectsACnameAtTheApex() {
    assertThatThrownBy(() -> zone("example.test", HEAD + "@ CNAME www\n"))
        .isInstanceOf(ZoneException.class)
        .hasMessageContaining("beside other data");
  }

  @Test
  void anOwnerOfOneNsRecordIsACutWithItsGlue() {
    ZoneSnapshot z =
        zone("example.test", HEAD + "sub NS ns.sub\nns.sub A 192.0.2.9\nmore NS ns.sub\nmore NS ns\n");
    LookupResult.Referral sub = z.delegation(name("sub.example.test"));
    assertThat(sub.ns()).hasSize(1);
    assertThat(sub.glue()).extracting(Record::rdataToString).containsExactly("192.0.2.9");
    assertThat(z.delegation(name("more.example.test")).glue())
        .extracting(Record::rdataToString)
        .containsExactlyInAnyOrder("192.0.2.9", "192.0.2.1");
    assertThat(z.delegation(name("ns.sub.example.test"))).isNull();
  }

  @Test
  void keepsTheFirstOfEachDuplicateAndTheInputOrderOfTypesAtAnOwner() {
    ZoneSnapshot z =
        zone("example.test", HEAD + "a TXT \"t\"\na MX 10 ns\na A 192.0.2.7\na 60 MX 10 ns\na MX 20 ns\n");
    assertThat(z.rrset(name("a.example.test"), Type.MX).orElseThrow().size()).isEqualTo(2);
    assertThat(z.node(name("a.example.test")).all())
        .extracting(set -> set.get(0).getType())
        .containsExactly(Type.A, Type.MX, Type.TXT);
  }

  @Test
  void rejectsTwoCnamesAtOneName() {
    assertThatThrownBy(() -> zone("example.test", HEAD + "a CNAME www\na CNAME www2\n"))
        .isInstanceOf(ZoneException.class)
        .hasMessageContaining("more than one CNAME");
  }

  @Test
  void rejectsMixedClasses() {
    List<Record> records = new ArrayList<>(parse("example.test", HEAD));
    records.add(Record.newRecord(name("x.example.test"), Type.TXT, DClass.CH, 60));
    assertThatThrownBy(() -> ZoneSnapshot.of(name("example.test"), records))
        .isInstanceOf(ZoneException.class)
        .hasMessageContaining("class");
  }

  @Test
  void ordersRecordsCanonicallyAcrossCaseDepthAndTypesAsRecordCompareToDoes() {
    ZoneSnapshot z =
        zone(
            "example.test",
            HEAD
                + "Z.a A 192.0.2.9\nzABC.a.EXAMPLE.TEST. TXT \"b\" \"a\"\nzabc.a TXT \"a\"\n"
                + "a MX 20 b\na MX 10 c\na A 192.0.2.4\na A 192.0.2.3\n*.z A 192.0.2.1\n"
                + "\\001.z A 192.0.2.2\nyljkjljk.a AAAA 2001:db8::1\nx.y.z.deep A 192.0.2.5\n");
    List<Record> sorted = new ArrayList<>(z.records());
    sorted.sort(null);
    assertThat(z.records()).containsExactlyElementsOf(sorted).hasSize(14);
  }

  @Test
  void keepsTheFirstOfDuplicateRecordsBeforeUnifyingTtls() {
    ZoneSnapshot z = zone("example.test", HEAD + "a 600 A 192.0.2.3\na 60 A 192.0.2.3\na 900 A 192.0.2.4\n");
    // The duplicate's TTL of 60 is dropped with it: the RRset's lowest TTL is 600.
    assertThat(z.rrset(name("a.example.test"), Type.A).orElseThrow().rrs())
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(600));
  }

  @Test
  void everyAncestorOfAnOwnerExistsUpToTheApex() {
    ZoneSnapshot z = zone("example.test", HEAD + "a.b.c.d A 192.0.2.1\nx.c.d A 192.0.2.2\n");
    for (String n : List.of("a.b.c.d", "b.c.d", "c.d", "d", "x.c.d", "example.test", "ns")) {
      assertThat(z.exists(name(n.equals("example.test") ? n : n + ".example.test"))).as(n).isTrue();
    }
    for (String n : List.of("b.d", "e", "q.a.b.c.d", "test")) {
      assertThat(z.exists(name(n.equals("test") ? n : n + ".example.test"))).as(n).isFalse();
    }
  }

  @Test
  void reportsTheFirstTwoCnamesInFileOrder() {
    assertThatThrownBy(() -> zone("example.test", HEAD + "a CNAME zz\na CNAME bb\na CNAME zz\n"))
        .isInstanceOf(ZoneException.class)
        .hasMessageContaining("zz.example.test. and")
        .hasMessageEndingWith("bb.example.test.");
  }

  @Test
  void anOwnerWhoseRecordsAreApartIsOneNodeWithTheFirstOfEachDuplicateKept() {
    ZoneSnapshot apart =
        zone(
            "example.test",
            HEAD + "a 600 A 192.0.2.3\nb A 192.0.2.9\nA 60 A 192.0.2.3\nc TXT \"x\"\na 900 A 192.0.2.4\na TXT \"t\"\n");
    ZoneSnapshot together =
        zone(
            "example.test",
            HEAD + "a 600 A 192.0.2.3\na 60 A 192.0.2.3\na 900 A 192.0.2.4\na TXT \"t\"\nb A 192.0.2.9\nc TXT \"x\"\n");
    assertThat(apart.records()).containsExactlyElementsOf(together.records());
    assertThat(apart.rrset(name("a.example.test"), Type.A).orElseThrow().rrs())
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(600));
    assertThat(apart.node(name("a.example.test")).all()).hasSize(2);
  }

  @Test
  void anAncestorThatOwnsRecordsIsNoEmptyNonTerminalWhateverTheInputOrder() {
    // The child comes first in the input; sorted, its parent (which owns a record) precedes it.
    ZoneSnapshot z = zone("example.test", "$TTL 300\nx.b.c A 192.0.2.1\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\nc A 192.0.2.2\n");
    assertThat(z.exists(name("b.c.example.test"))).isTrue();
    assertThat(z.node(name("b.c.example.test"))).isNull();
    assertThat(z.node(name("c.example.test"))).isNotNull();
    assertThat(z.rrset(name("c.example.test"), Type.A)).isPresent();
  }
}
