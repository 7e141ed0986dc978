package io.tierdns.authoritative.update;

import static io.tierdns.authoritative.update.UpdateTesting.ZONE;
import static io.tierdns.authoritative.update.UpdateTesting.empty;
import static io.tierdns.authoritative.update.UpdateTesting.name;
import static io.tierdns.authoritative.update.UpdateTesting.none;
import static io.tierdns.authoritative.update.UpdateTesting.rr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.CommitResult;
import io.tierdns.authoritative.edit.ZoneEditException;
import io.tierdns.authoritative.update.UpdatePolicy.Grant;
import io.tierdns.authoritative.update.UpdatePolicy.Match;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/** RFC 2136 §3.2 and §3.4, rule by rule, through the processor and an in-memory writer. */
class UpdateProcessorTest extends ExampleZoneFixture {

  static final Name KEY = name("admin-key.");
  static final UpdatePolicy EVERYTHING = UpdatePolicy.of(new Grant(KEY, Match.ZONE, null, Set.of(Type.ANY)));

  // ---- helpers ----

  static Message wire(Update u) {
    try {
      return new Message(u.toWire()); // parsed as a server sees it (empty rdata, classes ANY/NONE)
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  CommitResult run(Update u) {
    return run(u, KEY, EVERYTHING);
  }

  CommitResult run(Update u, Name key, UpdatePolicy policy) {
    return writer.commit(ZONE, UpdateProcessor.edit(wire(u), key, policy));
  }

  int rcode(Update u) {
    return rcode(u, KEY, EVERYTHING);
  }

  int rcode(Update u, Name key, UpdatePolicy policy) {
    try {
      run(u, key, policy);
      return Rcode.NOERROR;
    } catch (ZoneEditException e) {
      return UpdateErrors.rcodeOf(e);
    }
  }

  ZoneSnapshot now() {
    return registry.zone(ZONE).orElseThrow();
  }

  Set<Record> rrset(String owner, int type) {
    return now().rrset(name(owner), type).map(s -> new HashSet<>(s.rrs())).orElse(new HashSet<>());
  }

  long ttl(String owner, int type) {
    return now().rrset(name(owner), type).orElseThrow().getTTL();
  }

  void assertUnchanged() {
    assertThat(now()).isSameAs(before);
  }

  static Update update() {
    return new Update(ZONE);
  }

  // ---- RFC 2136 §3.2: prerequisites ----

  @Nested
  class Prerequisites {

    @Test
    void nameInUseFailsWithNxdomainForANameWithoutRecords() {
      Update u = update();
      u.present(name("nothere"));
      u.add(rr("x 300 A 192.0.2.99"));
      assertThat(rcode(u)).isEqualTo(Rcode.NXDOMAIN);
      assertUnchanged();
    }

    @Test
    void anEmptyNonTerminalIsNotInUse() {
      Update u = update();
      u.present(name("b.ent"));
      assertThat(rcode(u)).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void nameInUseHoldsForANameWithRecords() {
      Update u = update();
      u.present(name("www"));
      u.add(rr("x 300 A 192.0.2.99"));
      assertThat(rcode(u)).isEqualTo(Rcode.NOERROR);
      assertThat(rrset("x", Type.A)).containsExactly(rr("x 300 A 192.0.2.99"));
    }

    @Test
    void nameNotInUseFailsWithYxdomainWhenTheNameHasRecords() {
      Update u = update();
      u.absent(name("www"));
      assertThat(rcode(u)).isEqualTo(Rcode.YXDOMAIN);
    }

    @Test
    void nameNotInUseHoldsForAnEmptyNonTerminal() {
      Update u = update();
      u.absent(name("b.ent"));
      u.add(rr("b.ent 300 TXT \"now in use\""));
      assertThat(rcode(u)).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void rrsetExistsValueIndependentFailsWithNxrrsetWhenThereIsNoSuchRRset() {
      Update u = update();
      u.present(name("www"), Type.AAAA);
      assertThat(rcode(u)).isEqualTo(Rcode.NXRRSET);
    }

    @Test
    void rrsetExistsValueIndependentHoldsWhateverTheData() {
      Update u = update();
      u.present(name("www"), Type.A);
      u.add(rr("www 3600 A 192.0.2.5"));
      assertThat(rcode(u)).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void rrsetDoesNotExistFailsWithYxrrsetWhenItExists() {
      Update u = update();
      u.absent(name("www"), Type.TXT);
      assertThat(rcode(u)).isEqualTo(Rcode.YXRRSET);
    }

    @Test
    void rrsetExistsValueDependentNeedsTheWholeSetNotASubset() {
      Update u = update();
      u.present(rr("www 0 A 192.0.2.3"));
      assertThat(rcode(u)).isEqualTo(Rcode.NXRRSET);
    }

    @Test
    void rrsetExistsValueDependentHoldsForTheExactSetWhateverTheOrder() {
      Update u = update();
      u.present(rr("www 0 A 192.0.2.4"));
      u.present(rr("www 0 A 192.0.2.3"));
      u.delete(name("www"), Type.A);
      assertThat(rcode(u)).isEqualTo(Rcode.NOERROR);
      assertThat(rrset("www", Type.A)).isEmpty();
    }

    @Test
    void rrsetExistsValueDependentFailsWhenTheSetHasOtherData() {
      Update u = update();
      u.present(rr("www 0 A 192.0.2.3"));
      u.present(rr("www 0 A 192.0.2.4"));
      u.present(rr("www 0 A 192.0.2.5"));
      assertThat(rcode(u)).isEqualTo(Rcode.NXRRSET);
    }

    @Test
    void aPrerequisiteWithATtlOtherThanZeroIsFormerr() {
      Update u = update();
      u.present(rr("www 300 A 192.0.2.3"));
      assertThat(rcode(u)).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void aClassAnyPrerequisiteWithRdataIsFormerr() {
      Update u = update();
      Record withData = UpdateTesting.withClass(rr("www 0 A 192.0.2.3"), DClass.ANY, 0);
      u.addRecord(withData, org.xbill.DNS.Section.PREREQ);
      assertThat(rcode(u)).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void aPrerequisiteOfAnotherClassIsFormerr() {
      Update u = update();
      u.addRecord(empty("www", Type.A, DClass.CH), org.xbill.DNS.Section.PREREQ);
      assertThat(rcode(u)).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void aPrerequisiteOutsideTheZoneIsNotzone() {
      Update u = update();
      u.present(name("www.other.test."));
      assertThat(rcode(u)).isEqualTo(Rcode.NOTZONE);
    }

    @Test
    void theFirstFailingPrerequisiteDecidesTheRcode() {
      Update u = update();
      u.absent(name("www"), Type.A); // YXRRSET, first
      u.present(name("www.other.test.")); // NOTZONE, second
      assertThat(rcode(u)).isEqualTo(Rcode.YXRRSET);
    }

    @Test
    void aFailedPrerequisiteAppliesNoneOfTheUpdates() {
      Update u = update();
      u.add(rr("new 300 A 192.0.2.50"));
      u.present(name("www"), Type.AAAA);
      assertThat(rcode(u)).isEqualTo(Rcode.NXRRSET);
      assertUnchanged();
      assertThat(writer.commits()).isEmpty();
    }
  }

  // ---- RFC 2136 §3.4.1: prescan ----

  @Nested
  class Prescan {

    @Test
    void anUpdateOutsideTheZoneIsNotzoneAndNothingIsApplied() {
      Update u = update();
      u.add(rr("ok 300 A 192.0.2.50"));
      u.add(rr("www.other.test. 300 A 192.0.2.51"));
      assertThat(rcode(u)).isEqualTo(Rcode.NOTZONE);
      assertUnchanged();
    }

    @Test
    void addingAMetaTypeIsFormerr() {
      Update u = update();
      u.addRecord(Record.newRecord(name("www"), Type.ANY, DClass.IN, 300), org.xbill.DNS.Section.UPDATE);
      assertThat(rcode(u)).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void addingARecordWithoutRdataIsFormerr() {
      Update u = update();
      u.addRecord(Record.newRecord(name("www"), Type.A, DClass.IN, 300), org.xbill.DNS.Section.UPDATE);
      assertThat(rcode(u)).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void addingARecordWithATtlAbove2To31IsFormerrAndChangesNothing() throws Exception {
      // RFC 2181 §8. dnsjava reads any 32 bits from the wire; an SOA with such a TTL made the
      // copy with the next serial throw (SERVFAIL; found by UpdateFuzzTest)
      Record soa = rr("@ 300 SOA ns1 hostmaster 99 7200 3600 1209600 300");
      byte[] wire = soa.toWire(org.xbill.DNS.Section.ANSWER);
      java.nio.ByteBuffer.wrap(wire).putInt(soa.getName().length() + 4, 0xC0000204); // the TTL field
      Update u = update();
      u.addRecord(Record.fromWire(wire, org.xbill.DNS.Section.ANSWER), org.xbill.DNS.Section.UPDATE);
      assertThat(u.getSection(org.xbill.DNS.Section.UPDATE).get(0).getTTL()).isEqualTo(0xC0000204L);
      assertThat(rcode(u)).isEqualTo(Rcode.FORMERR);
      assertUnchanged();
    }

    @Test
    void aDeleteRRsetWithATtlIsFormerr() {
      Update u = update();
      u.addRecord(Record.newRecord(name("www"), Type.A, DClass.ANY, 300), org.xbill.DNS.Section.UPDATE);
      assertThat(rcode(u)).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void aDeleteRecordOfTypeAnyIsFormerr() {
      Update u = update();
      u.addRecord(empty("www", Type.ANY, DClass.NONE), org.xbill.DNS.Section.UPDATE);
      assertThat(rcode(u)).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void anUpdateOfAnotherClassIsFormerr() {
      Update u = update();
      u.addRecord(UpdateTesting.withClass(rr("www 300 A 192.0.2.9"), DClass.CH, 300), org.xbill.DNS.Section.UPDATE);
      assertThat(rcode(u)).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void aMalformedRRLaterInTheSectionRejectsTheWholeUpdate() {
      Update u = update();
      u.add(rr("ok 300 A 192.0.2.50"));
      u.addRecord(Record.newRecord(name("www"), Type.A, DClass.ANY, 300), org.xbill.DNS.Section.UPDATE);
      assertThat(rcode(u)).isEqualTo(Rcode.FORMERR);
      assertUnchanged();
    }
  }

  // ---- RFC 2136 §3.3: the policy, all or nothing ----

  @Nested
  class Permissions {

    final UpdatePolicy dynOnly =
        UpdatePolicy.of(new Grant(KEY, Match.SUBDOMAIN, name("dyn"), Set.of(Type.A, Type.TXT)));

    @Test
    void anRRThePolicyDoesNotGrantRefusesTheWholeUpdate() {
      Update u = update();
      u.add(rr("h1.dyn 300 A 192.0.2.60"));
      u.add(rr("www 300 A 192.0.2.61"));
      assertThat(rcode(u, KEY, dynOnly)).isEqualTo(Rcode.REFUSED);
      assertUnchanged();
    }

    @Test
    void anUpdateWithinTheGrantIsApplied() {
      Update u = update();
      u.add(rr("h1.dyn 300 A 192.0.2.60"));
      u.add(rr("h1.dyn 300 TXT \"x\""));
      assertThat(rcode(u, KEY, dynOnly)).isEqualTo(Rcode.NOERROR);
      assertThat(rrset("h1.dyn", Type.A)).hasSize(1);
    }

    @Test
    void aTypeOutsideTheGrantIsRefused() {
      Update u = update();
      u.add(rr("h1.dyn 300 AAAA 2001:db8::1"));
      assertThat(rcode(u, KEY, dynOnly)).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void anotherKeyIsRefused() {
      Update u = update();
      u.add(rr("h1.dyn 300 A 192.0.2.60"));
      assertThat(rcode(u, name("other-key."), dynOnly)).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void deletingAllRRsetsAtANameNeedsPermissionForEveryTypeThere() {
      UpdatePolicy aOnly = UpdatePolicy.of(new Grant(KEY, Match.NAME, name("www"), Set.of(Type.A)));
      Update u = update();
      u.delete(name("www")); // www has A and TXT
      assertThat(rcode(u, KEY, aOnly)).isEqualTo(Rcode.REFUSED);
      UpdatePolicy aAndTxt =
          UpdatePolicy.of(new Grant(KEY, Match.NAME, name("www"), Set.of(Type.A, Type.TXT)));
      assertThat(rcode(u, KEY, aAndTxt)).isEqualTo(Rcode.NOERROR);
      assertThat(now().rrset(name("www"), Type.TXT)).isEmpty();
    }

    @Test
    void theDefaultTypesOfAGrantDoNotCoverTheApexNs() {
      UpdatePolicy zoneDefault = UpdatePolicy.of(new Grant(KEY, Match.ZONE, null, Set.of()));
      Update u = update();
      u.add(rr("@ 3600 NS ns3.other.test."));
      assertThat(rcode(u, KEY, zoneDefault)).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void anUnsignedUpdateUsesOnlyGrantsWithoutAKey() {
      UpdatePolicy unsigned = UpdatePolicy.of(new Grant(null, Match.SUBDOMAIN, name("dyn"), Set.of()));
      Update u = update();
      u.add(rr("h2.dyn 300 A 192.0.2.61"));
      assertThat(rcode(u, null, unsigned)).isEqualTo(Rcode.NOERROR);
      assertThat(rcode(u, KEY, unsigned)).isEqualTo(Rcode.REFUSED);
    }
  }

  // ---- RFC 2136 §3.4.2: processing ----

  @Nested
  class Processing {

    @Test
    void anAddCreatesTheRecordAndANewSerial() {
      Update u = update();
      u.add(rr("new 300 A 192.0.2.50"));
      CommitResult r = run(u);
      assertThat(r.changed()).isTrue();
      assertThat(r.serial()).isEqualTo(before.serial() + 1);
      assertThat(rrset("new", Type.A)).containsExactly(rr("new 300 A 192.0.2.50"));
    }

    @Test
    void anAddOfARecordAlreadyPresentChangesNothing() {
      Update u = update();
      u.add(rr("www 3600 A 192.0.2.3"));
      CommitResult r = run(u);
      assertThat(r.changed()).isFalse();
      assertUnchanged();
    }

    @Test
    void anAddSetsTheTtlOfTheWholeRRset() {
      Update u = update();
      u.add(rr("www 60 A 192.0.2.5"));
      run(u);
      assertThat(rrset("www", Type.A)).hasSize(3);
      assertThat(ttl("www", Type.A)).isEqualTo(60);
    }

    @Test
    void aDuplicateAddWithAnotherTtlChangesOnlyTheTtl() {
      Update u = update();
      u.add(rr("www 120 A 192.0.2.3"));
      run(u);
      assertThat(rrset("www", Type.A)).hasSize(2);
      assertThat(ttl("www", Type.A)).isEqualTo(120);
    }

    @Test
    void aCnameBesideOtherDataIsIgnoredAndTheAnswerIsNoerror() {
      Update u = update();
      u.add(rr("www 300 CNAME host.dyn"));
      CommitResult r = run(u);
      assertThat(r.changed()).isFalse();
      assertThat(rrset("www", Type.CNAME)).isEmpty();
    }

    @Test
    void otherDataBesideACnameIsIgnored() {
      Update u = update();
      u.add(rr("alias 300 A 192.0.2.70"));
      u.add(rr("new 300 A 192.0.2.71"));
      run(u);
      assertThat(rrset("alias", Type.A)).isEmpty();
      assertThat(rrset("new", Type.A)).hasSize(1); // the rest of the update is applied
    }

    @Test
    void aCnameAddedWhereACnameIsReplacesIt() {
      Update u = update();
      u.add(rr("alias 300 CNAME host.dyn"));
      run(u);
      assertThat(rrset("alias", Type.CNAME)).containsExactly(rr("alias 300 CNAME host.dyn"));
    }

    @Test
    void laterRRsSeeTheEffectOfEarlierOnes() {
      Update u = update();
      u.delete(name("www"));
      u.add(rr("www 300 CNAME host.dyn"));
      run(u);
      assertThat(rrset("www", Type.CNAME)).hasSize(1);
      assertThat(rrset("www", Type.A)).isEmpty();
    }

    @Test
    void aSoaWithAnOlderSerialIsIgnored() {
      Update u = update();
      u.add(soa(before.serial() - 1, 999));
      assertThat(run(u).changed()).isFalse();
    }

    @Test
    void aSoaSerialHalfTheSerialSpaceAwayIsIgnored() {
      Update u = update();
      u.add(soa((before.serial() + (1L << 31)) & 0xFFFFFFFFL, 999));
      assertThat(run(u).changed()).isFalse();
    }

    @Test
    void aSoaWithANewerSerialIsApplied() {
      Update u = update();
      u.add(soa(before.serial() + 100, 999));
      CommitResult r = run(u);
      assertThat(r.serial()).isEqualTo(before.serial() + 100);
      assertThat(now().soa().getMinimum()).isEqualTo(999);
    }

    @Test
    void aSoaWithTheSameSerialUpdatesTheOtherFields() {
      Update u = update();
      u.add(soa(before.serial(), 999));
      CommitResult r = run(u);
      assertThat(r.changed()).isTrue();
      assertThat(now().soa().getMinimum()).isEqualTo(999);
    }

    @Test
    void aSoaAcrossTheSerialWrapIsNewer() {
      ZoneSnapshot high =
          UpdateTesting.zone(
              ZONE,
              UpdateTesting.EXAMPLE.replace("2024010101", "4294967290"));
      registry.put(high);
      before = high;
      Update u = update();
      u.add(soa(5, 999));
      assertThat(run(u).serial()).isEqualTo(5);
    }

    @Test
    void deletingAnRRsetRemovesEveryRecordOfIt() {
      Update u = update();
      u.delete(name("www"), Type.A);
      run(u);
      assertThat(rrset("www", Type.A)).isEmpty();
      assertThat(rrset("www", Type.TXT)).hasSize(1);
    }

    @Test
    void deletingAllRRsetsAtANameRemovesTheName() {
      Update u = update();
      u.delete(name("www"));
      run(u);
      assertThat(rrset("www", Type.A)).isEmpty();
      assertThat(rrset("www", Type.TXT)).isEmpty();
    }

    @Test
    void deletingAllRRsetsAtTheApexKeepsTheSoaAndNs() {
      Update u = update();
      u.add(rr("@ 300 TXT \"apex\""));
      u.delete(ZONE);
      run(u);
      assertThat(rrset("@", Type.TXT)).isEmpty();
      assertThat(rrset("@", Type.NS)).hasSize(2);
      assertThat(rrset("@", Type.SOA)).hasSize(1);
    }

    @Test
    void deletingTheApexSoaIsIgnored() {
      Update u = update();
      u.delete(ZONE, Type.SOA);
      u.delete(before.soa());
      assertThat(run(u).changed()).isFalse();
    }

    @Test
    void deletingTheApexNsRRsetIsIgnored() {
      Update u = update();
      u.delete(ZONE, Type.NS);
      assertThat(run(u).changed()).isFalse();
    }

    @Test
    void deletingTheLastApexNsRecordIsIgnored() {
      Update u = update();
      u.delete(rr("@ 3600 NS ns1"));
      u.delete(rr("@ 3600 NS ns2"));
      run(u);
      assertThat(rrset("@", Type.NS)).containsExactly(rr("@ 3600 NS ns2"));
    }

    @Test
    void deletingOneRecordKeepsTheRestOfTheRRset() {
      Update u = update();
      u.addRecord(none("www 0 A 192.0.2.3"), org.xbill.DNS.Section.UPDATE);
      run(u);
      assertThat(rrset("www", Type.A)).containsExactly(rr("www 3600 A 192.0.2.4"));
    }

    @Test
    void deletingWhatIsNotThereChangesNothing() {
      Update u = update();
      u.delete(name("nothere"), Type.A);
      u.delete(rr("www 0 A 198.51.100.1"));
      assertThat(run(u).changed()).isFalse();
      assertThat(writer.commits()).isEmpty();
    }

    @Test
    void theChangesAreTheNetEffectPerRRset() {
      Update u = update();
      u.add(rr("tmp 300 A 192.0.2.80"));
      u.delete(name("tmp"), Type.A);
      assertThat(run(u).changed()).isFalse();
    }

    @Test
    void deletesAndAddsInOneUpdateAreOneNewSerial() {
      Update u = update();
      u.delete(name("www"), Type.A);
      u.add(rr("www 300 A 198.51.100.7"));
      u.add(rr("mail 300 MX 10 www"));
      CommitResult r = run(u);
      assertThat(r.serial()).isEqualTo(before.serial() + 1);
      assertThat(rrset("www", Type.A)).containsExactly(rr("www 300 A 198.51.100.7"));
      assertThat(writer.commits()).hasSize(1);
    }
  }

  static SOARecord soa(long serial, long minimum) {
    return new SOARecord(ZONE, DClass.IN, 3600, name("ns1"), name("hostmaster"), serial, 7200, 3600, 1209600, minimum);
  }

  @Test
  void theEditReportsWhatItIgnored() {
    Update u = update();
    u.add(rr("www 300 CNAME host.dyn"));
    UpdateProcessor.Edit edit = UpdateProcessor.edit(wire(u), KEY, EVERYTHING);
    List<?> changes = edit.changes(before);
    assertThat(changes).isEmpty();
    assertThat(edit.ignored()).singleElement().asString().contains("CNAME beside other data");
  }
}
