package io.tierdns.authoritative.edit;

import static io.tierdns.authoritative.edit.EditFixtures.ZONE;
import static io.tierdns.authoritative.edit.EditFixtures.base;
import static io.tierdns.authoritative.edit.EditFixtures.name;
import static io.tierdns.authoritative.edit.EditFixtures.rr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tierdns.authoritative.ZoneSnapshot;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

class ZoneChangesTest {

  private final ZoneSnapshot v1 = base(1);

  private ZoneSnapshot apply(ZoneChange... changes) {
    return ZoneChanges.apply(v1, List.of(changes), 2);
  }

  private static void rejected(ThrowingCallable call, ZoneEditException.Kind kind, String... inMessage) {
    assertThatThrownBy(call).isInstanceOf(ZoneEditException.class).extracting(e -> ((ZoneEditException) e).kind()).isEqualTo(kind);
    for (String s : inMessage) {
      assertThatThrownBy(call).hasMessageContaining(s);
    }
  }

  @Test
  void replacingAnRRsetChangesOnlyItAndSetsTheNewSerial() {
    ZoneSnapshot v2 = apply(new ZoneChange.ReplaceRRset(name("www"), Type.A, List.of(rr("www 60 A 192.0.2.7"), rr("www 60 A 192.0.2.8"))));
    assertThat(v2.serial()).isEqualTo(2);
    assertThat(v2.rrset(name("www"), Type.A).orElseThrow().rrs()).extracting(Record::rdataToString).containsExactly("192.0.2.7", "192.0.2.8");
    assertThat(v2.rrset(name("ns1"), Type.A)).isPresent();
    assertThat(v1.serial()).isEqualTo(1);
  }

  @Test
  void anAddedRecordJoinsItsRRsetWhoseTtlBecomesTheRecords() {
    ZoneSnapshot v2 = apply(new ZoneChange.AddRecord(rr("www 60 A 192.0.2.9")));
    assertThat(v2.rrset(name("www"), Type.A).orElseThrow().rrs()).extracting(Record::getTTL).containsOnly(60L).hasSize(2);
  }

  @Test
  void deletingARecordMatchesItsRdataNotItsTtl() {
    ZoneSnapshot v2 = apply(new ZoneChange.DeleteRecord(rr("www 9999 A 192.0.2.3")));
    assertThat(v2.rrset(name("www"), Type.A)).isEmpty();
  }

  @Test
  void deletingTheApexNameKeepsItsSoaAndNs() {
    ZoneSnapshot v2 = apply(new ZoneChange.AddRecord(rr("@ MX 10 mail")), new ZoneChange.DeleteName(ZONE));
    assertThat(v2.rrset(ZONE, Type.MX)).isEmpty();
    assertThat(v2.rrset(ZONE, Type.NS)).isPresent();
    assertThat(v2.soa()).isNotNull();
  }

  @Test
  void aNameOutsideTheZoneIsRejectedAsOutOfZoneNamingIt() {
    rejected(() -> apply(new ZoneChange.AddRecord(rr("www.other.test. A 192.0.2.1"))), ZoneEditException.Kind.OUT_OF_ZONE, "www.other.test.", "outside the zone");
    rejected(() -> apply(new ZoneChange.DeleteRRset(name("x.other.test."), Type.A)), ZoneEditException.Kind.OUT_OF_ZONE, "x.other.test.");
  }

  @Test
  void aCnameBesideOtherDataIsAConflictNamingBothRecords() {
    rejected(() -> apply(new ZoneChange.AddRecord(rr("www CNAME ns1"))), ZoneEditException.Kind.CONFLICT, "CNAME", "www.example.test.", "192.0.2.3");
    rejected(() -> apply(new ZoneChange.AddRecord(rr("alias CNAME www")), new ZoneChange.AddRecord(rr("alias TXT \"x\""))), ZoneEditException.Kind.CONFLICT, "alias.example.test.");
    rejected(() -> apply(new ZoneChange.AddRecord(rr("alias CNAME www")), new ZoneChange.AddRecord(rr("alias CNAME ns1"))), ZoneEditException.Kind.CONFLICT, "more than one CNAME");
  }

  @Test
  void replacingDataByACnameInOneChangeSetIsAccepted() {
    ZoneSnapshot v2 = apply(new ZoneChange.DeleteName(name("www")), new ZoneChange.AddRecord(rr("www CNAME ns1")));
    assertThat(v2.rrset(name("www"), Type.CNAME)).isPresent();
  }

  @Test
  void theApexSoaCannotBeDeletedInAnyWay() {
    rejected(() -> apply(new ZoneChange.DeleteRRset(ZONE, Type.SOA)), ZoneEditException.Kind.INVALID_DATA, "SOA");
    rejected(() -> apply(new ZoneChange.DeleteRecord(v1.soa())), ZoneEditException.Kind.INVALID_DATA, "SOA");
    rejected(() -> apply(new ZoneChange.ReplaceRRset(ZONE, Type.SOA, List.of())), ZoneEditException.Kind.INVALID_DATA, "SOA");
  }

  @Test
  void removingEveryApexNsIsInvalid() {
    rejected(() -> apply(new ZoneChange.DeleteRRset(ZONE, Type.NS)), ZoneEditException.Kind.INVALID_DATA, "no NS");
  }

  @Test
  void aRecordOfAnotherRRsetInAReplaceIsInvalid() {
    rejected(() -> apply(new ZoneChange.ReplaceRRset(name("www"), Type.A, List.of(rr("mail A 192.0.2.1")))), ZoneEditException.Kind.INVALID_DATA, "mail.example.test.");
  }

  @Test
  void aReplacedSoaKeepsItsFieldsButTakesTheGivenSerial() {
    SOARecord soa = (SOARecord) rr("@ SOA ns1 admin 77 100 200 300 400");
    ZoneSnapshot v2 = apply(new ZoneChange.ReplaceRRset(ZONE, Type.SOA, List.of(soa)));
    assertThat(v2.soa().getRefresh()).isEqualTo(100);
    assertThat(v2.serial()).isEqualTo(2);
  }

  @Test
  void aSoaBelowTheApexIsInvalid() {
    rejected(() -> apply(new ZoneChange.AddRecord(rr("sub SOA ns1 admin 1 2 3 4 5"))), ZoneEditException.Kind.INVALID_DATA, "apex");
  }

  @Test
  void aRejectedChangeSetLeavesTheCurrentVersionAsItWas() {
    List<Record> before = v1.records();
    rejected(() -> apply(new ZoneChange.AddRecord(rr("new A 192.0.2.50")), new ZoneChange.AddRecord(rr("www CNAME ns1"))), ZoneEditException.Kind.CONFLICT);
    assertThat(v1.records()).isEqualTo(before);
    assertThat(v1.rrset(name("new"), Type.A)).isEmpty();
  }
}
