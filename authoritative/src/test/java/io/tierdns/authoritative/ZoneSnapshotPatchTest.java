package io.tierdns.authoritative;

import static io.tierdns.authoritative.TestZones.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * {@link ZoneSnapshot#patch} gives what {@link ZoneSnapshot#of} gives for the whole zone after the
 * change, and leaves its base as it was. Every test compares with a rebuild ({@link
 * #assertSameAsRebuilt}); a few also check the outcome directly, so that a rebuild that went wrong
 * in the same way cannot hide it.
 */
class ZoneSnapshotPatchTest {

  private static final Name ORIGIN = name("example.test");

  private static final String ZONE =
      String.join(
          "\n",
          "$TTL 3600",
          "@ SOA ns1 hostmaster 1 7200 3600 1209600 300",
          "@ NS ns1",
          "@ NS ns2.other.test.",
          "@ MX 10 mail",
          "ns1 A 192.0.2.1",
          "ns1 AAAA 2001:db8::1",
          "mail A 192.0.2.2",
          "www A 192.0.2.3",
          "www TXT \"web\"",
          "a.b.ent A 192.0.2.9",
          "parent A 192.0.2.20",
          "kid.parent A 192.0.2.21",
          "alias CNAME www",
          "sub NS ns.sub",
          "sub NS ns.outside.test.",
          "ns.sub A 192.0.2.50",
          "ns.sub AAAA 2001:db8::50",
          "nods NS ns1",
          "");

  /** Names no test creates, probed on every snapshot: they must not exist before or after. */
  private static final List<Name> ABSENT =
      List.of(
          name("nothere.example.test"),
          name("x.nothere.example.test"),
          name("zz.a.b.ent.example.test"),
          name("test"),
          name("outside.test"));

  private static ZoneSnapshot base() {
    return TestZones.zone("example.test", ZONE);
  }

  // ---- 1. the SOA ----

  @Test
  void onlyTheSoaSerialChanges() {
    ZoneSnapshot base = base();
    ZoneSnapshot patched = assertSameAsRebuilt(base, Map.of(ORIGIN, apexWithSerial(base, 2)));
    assertThat(patched.serial()).isEqualTo(2);
    assertThat(patched.size()).isEqualTo(base.size());
  }

  @Test
  void theSoaTtlAndMinimumChangeTheNegativeSoa() {
    ZoneSnapshot base = base();
    List<Record> apex = new ArrayList<>(base.node(ORIGIN).all().stream().flatMap(List::stream).toList());
    apex.removeIf(r -> r.getType() == Type.SOA);
    apex.add(0, recs("@ 120 SOA ns1 hostmaster 2 7200 3600 1209600 60").get(0));
    ZoneSnapshot patched = assertSameAsRebuilt(base, Map.of(ORIGIN, apex));
    assertThat(patched.negativeSoa().getTTL()).isEqualTo(60);
  }

  // ---- 2. new owners ----

  @Test
  void addsAnOwnerUnderTheApex() {
    ZoneSnapshot patched =
        assertSameAsRebuilt(base(), Map.of(name("new.example.test"), recs("new A 192.0.2.100")));
    assertThat(patched.exists(name("new.example.test"))).isTrue();
  }

  @Test
  void addsAnOwnerSeveralLabelsDeepWithItsEmptyNonTerminals() {
    ZoneSnapshot patched =
        assertSameAsRebuilt(
            base(), Map.of(name("w.x.y.z.example.test"), recs("w.x.y.z TXT \"deep\"")));
    for (String ent : List.of("x.y.z", "y.z", "z")) {
      assertThat(patched.exists(name(ent + ".example.test"))).as(ent).isTrue();
      assertThat(patched.node(name(ent + ".example.test"))).as(ent).isNull();
    }
  }

  @Test
  void addsAnOwnerBelowAnExistingOwnerWithNewEmptyNonTerminalsBetween() {
    assertSameAsRebuilt(base(), Map.of(name("q.r.www.example.test"), recs("q.r.www A 192.0.2.7")));
  }

  @Test
  void anEmptyNonTerminalBecomesAnOwner() {
    ZoneSnapshot base = base();
    assertThat(base.exists(name("b.ent.example.test"))).isTrue();
    assertThat(base.node(name("b.ent.example.test"))).isNull();
    ZoneSnapshot patched =
        assertSameAsRebuilt(base, Map.of(name("b.ent.example.test"), recs("b.ent A 192.0.2.10")));
    assertThat(patched.node(name("b.ent.example.test"))).isNotNull();
    assertThat(patched.exists(name("ent.example.test"))).isTrue();
  }

  // ---- 3. owners removed ----

  @Test
  void removingALeafRemovesTheEmptyNonTerminalsAboveIt() {
    ZoneSnapshot patched = assertSameAsRebuilt(base(), Map.of(name("a.b.ent.example.test"), List.of()));
    for (String gone : List.of("a.b.ent", "b.ent", "ent")) {
      assertThat(patched.exists(name(gone + ".example.test"))).as(gone).isFalse();
    }
  }

  @Test
  void removingOneOfTwoLeavesKeepsTheSharedEmptyNonTerminal() {
    ZoneSnapshot base = assertSameAsRebuilt(base(), Map.of(name("c.ent.example.test"), recs("c.ent A 192.0.2.11")));
    ZoneSnapshot patched = assertSameAsRebuilt(base, Map.of(name("a.b.ent.example.test"), List.of()));
    assertThat(patched.exists(name("ent.example.test"))).isTrue();
    assertThat(patched.exists(name("b.ent.example.test"))).isFalse();
  }

  @Test
  void removingAnOwnerWithDescendantsLeavesAnEmptyNonTerminal() {
    ZoneSnapshot patched = assertSameAsRebuilt(base(), Map.of(name("parent.example.test"), List.of()));
    assertThat(patched.exists(name("parent.example.test"))).isTrue();
    assertThat(patched.node(name("parent.example.test"))).isNull();
    assertThat(patched.exists(name("kid.parent.example.test"))).isTrue();
  }

  @Test
  void removingAnOwnerThatDoesNotExistChangesNothing() {
    ZoneSnapshot base = base();
    ZoneSnapshot patched = assertSameAsRebuilt(base, Map.of(name("nothere.example.test"), List.of()));
    assertThat(strings(patched.records())).isEqualTo(strings(base.records()));
  }

  @Test
  void removingAnEmptyNonTerminalChangesNothing() {
    assertSameAsRebuilt(base(), Map.of(name("b.ent.example.test"), List.of()));
  }

  @Test
  void anEmptyMapChangesNothing() {
    assertSameAsRebuilt(base(), Map.of());
  }

  // ---- 4. RRsets changed ----

  @Test
  void changesAnRrsetAtAnExistingOwner() {
    ZoneSnapshot patched =
        assertSameAsRebuilt(
            base(),
            Map.of(name("www.example.test"), recs("www A 192.0.2.4", "www A 192.0.2.5", "www AAAA 2001:db8::3")));
    assertThat(patched.nodeRecords(name("www.example.test"), Type.TXT)).isNull();
    assertThat(patched.nodeRecords(name("www.example.test"), Type.A)).hasSize(2);
  }

  @Test
  void replacesACnameWithData() {
    assertSameAsRebuilt(base(), Map.of(name("alias.example.test"), recs("alias A 192.0.2.6")));
  }

  @Test
  void replacesDataWithACname() {
    assertSameAsRebuilt(base(), Map.of(name("www.example.test"), recs("www CNAME mail")));
  }

  @Test
  void unifiesDifferingTtlsInAnRrsetToTheLowest() {
    ZoneSnapshot patched =
        assertSameAsRebuilt(
            base(),
            Map.of(
                name("www.example.test"),
                recs("www 600 A 192.0.2.4", "www 60 A 192.0.2.5", "www 900 A 192.0.2.6", "www 30 TXT \"t\"")));
    assertThat(patched.nodeRecords(name("www.example.test"), Type.A))
        .extracting(Record::getTTL)
        .containsOnly(60L);
  }

  @Test
  void collapsesADuplicateRecordInAList() {
    ZoneSnapshot patched =
        assertSameAsRebuilt(
            base(),
            Map.of(name("www.example.test"), recs("www 600 A 192.0.2.4", "www 60 A 192.0.2.4", "www 900 A 192.0.2.5")));
    // The first of the duplicates is kept, so the 60 goes with the second.
    assertThat(patched.nodeRecords(name("www.example.test"), Type.A))
        .hasSize(2)
        .extracting(Record::getTTL)
        .containsOnly(600L);
  }

  @Test
  void keyAndRecordsMayDifferInCase() {
    assertSameAsRebuilt(base(), Map.of(name("WWW.Example.TEST"), recs("www A 192.0.2.4")));
  }

  // ---- 5. delegations and glue ----

  @Test
  void addsADelegationWithInZoneGlue() {
    Map<Name, List<Record>> owners = new LinkedHashMap<>();
    owners.put(name("deleg.example.test"), recs("deleg NS ns.deleg", "deleg NS ns1"));
    owners.put(name("ns.deleg.example.test"), recs("ns.deleg A 192.0.2.60"));
    ZoneSnapshot patched = assertSameAsRebuilt(base(), owners);
    LookupResult.Referral referral = patched.delegation(name("deleg.example.test"));
    assertThat(referral).isNotNull();
    assertThat(referral.glue())
        .extracting(Record::rdataToString)
        .containsExactlyInAnyOrder("192.0.2.60", "192.0.2.1", "2001:db8:0:0:0:0:0:1");
  }

  @Test
  void addsTheFirstDelegationToAZoneWithout() {
    ZoneSnapshot base =
        TestZones.zone("example.test", "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n");
    assertThat(base.hasDelegations()).isFalse();
    ZoneSnapshot patched = assertSameAsRebuilt(base, Map.of(name("d.example.test"), recs("d NS ns1")));
    assertThat(patched.hasDelegations()).isTrue();
  }

  @Test
  void aCutWhoseKeyIsWrittenInAnotherCaseThanItsRecords() {
    // of() knows the cut by its records' owner name: so must patch, whatever the key's case.
    assertSameAsRebuilt(base(), Map.of(name("DELEG.Example.Test"), recs("deleg NS ns1")));
  }

  @Test
  void removesADelegation() {
    Map<Name, List<Record>> owners = new LinkedHashMap<>();
    owners.put(name("sub.example.test"), List.of());
    owners.put(name("ns.sub.example.test"), List.of());
    ZoneSnapshot patched = assertSameAsRebuilt(base(), owners);
    assertThat(patched.delegation(name("sub.example.test"))).isNull();
  }

  @Test
  void removesTheLastDelegation() {
    Map<Name, List<Record>> owners = new LinkedHashMap<>();
    owners.put(name("sub.example.test"), List.of());
    owners.put(name("nods.example.test"), List.of());
    ZoneSnapshot patched = assertSameAsRebuilt(base(), owners);
    assertThat(patched.hasDelegations()).isFalse();
  }

  @Test
  void turnsADelegationIntoData() {
    assertSameAsRebuilt(base(), Map.of(name("sub.example.test"), recs("sub A 192.0.2.70")));
  }

  @Test
  void changesTheNsSetOfADelegation() {
    ZoneSnapshot patched =
        assertSameAsRebuilt(base(), Map.of(name("sub.example.test"), recs("sub NS ns.sub", "sub NS mail")));
    assertThat(patched.delegation(name("sub.example.test")).glue())
        .extracting(Record::rdataToString)
        .containsExactlyInAnyOrder("192.0.2.50", "2001:db8:0:0:0:0:0:50", "192.0.2.2");
  }

  @Test
  void changingOnlyTheGlueOfADelegationChangesItsReferral() {
    ZoneSnapshot patched =
        assertSameAsRebuilt(
            base(), Map.of(name("ns.sub.example.test"), recs("ns.sub A 192.0.2.51", "ns.sub AAAA 2001:db8::50")));
    assertThat(patched.delegation(name("sub.example.test")).glue())
        .extracting(Record::rdataToString)
        .containsExactlyInAnyOrder("192.0.2.51", "2001:db8:0:0:0:0:0:50");
  }

  @Test
  void removingTheGlueOfANsTargetEmptiesTheReferralGlue() {
    ZoneSnapshot patched = assertSameAsRebuilt(base(), Map.of(name("ns.sub.example.test"), List.of()));
    assertThat(patched.delegation(name("sub.example.test")).glue()).isEmpty();
  }

  @Test
  void changingAnAuthoritativeHostChangesTheGlueOfADelegationNamingIt() {
    // nods NS ns1: ns1 is apex-level data, and also glue of nods.
    ZoneSnapshot patched = assertSameAsRebuilt(base(), Map.of(name("ns1.example.test"), recs("ns1 A 192.0.2.99")));
    assertThat(patched.delegation(name("nods.example.test")).glue())
        .extracting(Record::rdataToString)
        .containsExactly("192.0.2.99");
  }

  @Test
  void addingGlueForATargetThatHadNoneChangesTheReferral() {
    ZoneSnapshot base =
        assertSameAsRebuilt(base(), Map.of(name("d.example.test"), recs("d NS ns.d", "d NS x.y.example.test.")));
    assertThat(base.delegation(name("d.example.test")).glue()).isEmpty();
    ZoneSnapshot patched = assertSameAsRebuilt(base, Map.of(name("x.y.example.test"), recs("x.y AAAA 2001:db8::7")));
    assertThat(patched.delegation(name("d.example.test")).glue())
        .extracting(Record::rdataToString)
        .containsExactly("2001:db8:0:0:0:0:0:7");
  }

  // ---- 6. errors ----

  @Test
  void rejectsACnameBesideData() {
    assertRejected(Map.of(name("www.example.test"), recs("www A 192.0.2.3", "www CNAME mail")), "beside other data");
  }

  @Test
  void rejectsACnameAddedToAnOwnerThatHadData() {
    // The list is the owner's whole data: its A stays only when the list holds it.
    assertRejected(
        Map.of(name("mail.example.test"), recs("mail CNAME www", "mail A 192.0.2.2")), "beside other data");
  }

  @Test
  void rejectsTwoCnames() {
    assertRejected(
        Map.of(name("alias.example.test"), recs("alias CNAME www", "alias CNAME mail")), "more than one CNAME");
  }

  @Test
  void rejectsTwoCnamesNamingTheOwnerAsItsRecordsDo() {
    // of() names the owner as its records spell it, whatever the key's case.
    assertSameAsRebuilt(base(), Map.of(name("ALIAS.Example.Test"), recs("alias CNAME www", "alias CNAME mail")));
  }

  @Test
  void rejectsACnameAtTheApex() {
    List<Record> apex = new ArrayList<>(apexWithSerial(base(), 2));
    apex.addAll(recs("@ CNAME www"));
    assertRejected(Map.of(ORIGIN, apex), "beside other data");
  }

  @Test
  void rejectsARecordOutsideTheZone() {
    assertRejected(Map.of(name("www.other.test"), recs("www.other.test. A 192.0.2.1")), "outside the zone");
  }

  @Test
  void rejectsARecordOfAnotherClass() {
    byte[] address = {(byte) 192, 0, 2, 1};
    Record ch = new ARecord(name("x.example.test"), DClass.CH, 60, RandomZone.address(address));
    assertRejected(Map.of(name("x.example.test"), List.of(ch)), "class");
  }

  @Test
  void rejectsASoaBelowTheApex() {
    assertRejected(
        Map.of(name("x.example.test"), recs("x SOA ns1 hostmaster 2 7200 3600 1209600 300")), "not at the zone apex");
  }

  @Test
  void rejectsASoaBesideDataBelowTheApex() {
    assertRejected(
        Map.of(name("www.example.test"), recs("www A 192.0.2.3", "www SOA ns1 hostmaster 2 7200 3600 1209600 300")),
        "not at the zone apex");
  }

  @Test
  void rejectsRemovingTheApexNs() {
    List<Record> apex = new ArrayList<>(apexWithSerial(base(), 2));
    apex.removeIf(r -> r.getType() == Type.NS);
    assertRejected(Map.of(ORIGIN, apex), "no NS");
  }

  @Test
  void rejectsAnApexListWithoutSoa() {
    List<Record> apex = new ArrayList<>(apexWithSerial(base(), 2));
    apex.removeIf(r -> r.getType() == Type.SOA);
    assertRejected(Map.of(ORIGIN, apex), "no SOA");
  }

  @Test
  void rejectsRemovingTheApex() {
    assertRejected(Map.of(ORIGIN, List.of()), "no SOA");
  }

  @Test
  void rejectsTwoSoas() {
    List<Record> apex = new ArrayList<>(apexWithSerial(base(), 2));
    apex.addAll(recs("@ SOA ns1 hostmaster 3 7200 3600 1209600 300"));
    assertRejected(Map.of(ORIGIN, apex), "more than one SOA");
  }

  @Test
  void rejectsARecordListedUnderAnotherOwner() {
    // Not a rule of of(), which sees records, not keys: patch refuses the map itself.
    ZoneSnapshot base = base();
    assertThatThrownBy(() -> ZoneSnapshot.patch(base, Map.of(name("www.example.test"), recs("mail A 192.0.2.9"))))
        .isInstanceOfAny(IllegalArgumentException.class, ZoneException.class)
        .hasMessageContaining("mail.example.test.");
    assertThat(base.node(name("mail.example.test")).all().toString()).doesNotContain("192.0.2.9");
  }

  @Test
  void removingANameOutsideTheZoneChangesNothing() {
    // of() never sees the key: there is no record to refuse.
    assertSameAsRebuilt(base(), Map.of(name("www.other.test"), List.of()));
  }

  @Test
  void rejectsAPatchWithTwoErrorsWhicheverItFindsFirst() {
    // of() checks every record on its own (inside the zone, class) before any owner's RRsets, and
    // reports the record outside the zone; patch checks owner by owner in canonical order and may
    // report the CNAME first. Either is a right refusal: only the exception type is compared.
    Map<Name, List<Record>> owners = new LinkedHashMap<>();
    owners.put(name("www.other.test"), recs("www.other.test. A 192.0.2.1"));
    owners.put(name("www.example.test"), recs("www A 192.0.2.3", "www CNAME mail"));
    assertSameAsRebuilt(base(), owners, false);
  }

  // ---- 7. many changes at once ----

  @Test
  void appliesManyChangesAtOnce() {
    ZoneSnapshot base = base();
    Map<Name, List<Record>> owners = new LinkedHashMap<>();
    owners.put(ORIGIN, apexWithSerial(base, 7));
    owners.put(name("www.example.test"), recs("www 60 A 192.0.2.30", "www AAAA 2001:db8::30"));
    owners.put(name("mail.example.test"), List.of());
    owners.put(name("a.b.ent.example.test"), List.of());
    owners.put(name("m.n.o.example.test"), recs("m.n.o MX 5 www"));
    owners.put(name("parent.example.test"), List.of());
    owners.put(name("sub.example.test"), recs("sub NS ns.sub", "sub NS ns1"));
    owners.put(name("ns.sub.example.test"), recs("ns.sub A 192.0.2.52"));
    owners.put(name("nods.example.test"), List.of());
    owners.put(name("alias.example.test"), recs("alias CNAME m.n.o"));
    owners.put(name("b.ent.example.test"), recs("b.ent TXT \"now an owner\""));
    owners.put(name("deleg.example.test"), recs("deleg NS ns.deleg"));
    owners.put(name("ns.deleg.example.test"), recs("ns.deleg 120 A 192.0.2.61", "ns.deleg 60 A 192.0.2.62"));
    ZoneSnapshot patched = assertSameAsRebuilt(base, owners);
    assertThat(patched.serial()).isEqualTo(7);
    assertThat(patched.exists(name("mail.example.test"))).isFalse();
    assertThat(patched.exists(name("b.ent.example.test"))).isTrue();
    assertThat(patched.exists(name("n.o.example.test"))).isTrue();
  }

  @Test
  void patchesChain() {
    ZoneSnapshot z = base();
    z = assertSameAsRebuilt(z, Map.of(name("x.y.example.test"), recs("x.y A 192.0.2.1")));
    z = assertSameAsRebuilt(z, Map.of(name("y.example.test"), recs("y NS x.y")));
    z = assertSameAsRebuilt(z, Map.of(name("x.y.example.test"), recs("x.y A 192.0.2.2")));
    z = assertSameAsRebuilt(z, Map.of(name("y.example.test"), List.of()));
    z = assertSameAsRebuilt(z, Map.of(name("x.y.example.test"), List.of()));
    assertThat(z.exists(name("y.example.test"))).isFalse();
    assertThat(strings(z.records())).isEqualTo(strings(base().records()));
  }

  // ---- 8. random changes ----

  static IntStream seeds() {
    return IntStream.rangeClosed(1, 20);
  }

  /**
   * Random zones of nested names (a small label alphabet), random patches of 1 to 10 owners chained
   * one on the other; a patch that breaks a rule must be refused as {@code of} refuses the zone,
   * and the next round starts again from the unchanged snapshot.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void randomPatchesGiveWhatARebuildGives(int seed) {
    RandomZone gen = new RandomZone(new Random(seed));
    ZoneSnapshot z = ZoneSnapshot.of(ORIGIN, gen.initialZone(200));
    for (int round = 0; round < 30; round++) {
      Map<Name, List<Record>> owners = gen.patch(z);
      try {
        z = assertSameAsRebuilt(z, owners);
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + ", round " + round + ", owners " + owners, e);
      }
    }
  }

  // ---- the comparison ----

  /**
   * Asserts that {@code ZoneSnapshot.patch(base, owners)} gives the snapshot that {@code
   * ZoneSnapshot.of} builds from base's records with the owners' records replaced by their lists,
   * or fails as it does; and that base is unchanged.
   *
   * @return the patched snapshot, or {@code base} when the patch was refused
   */
  static ZoneSnapshot assertSameAsRebuilt(ZoneSnapshot base, Map<Name, List<Record>> owners) {
    return assertSameAsRebuilt(base, owners, true);
  }

  /**
   * As {@link #assertSameAsRebuilt(ZoneSnapshot, Map)}; {@code sameMessage} false compares only the
   * type of a refusal, for changes that break two rules at once, where of and patch may meet them
   * in another order. Changes that break one rule (every other test here, and the random changes,
   * whose errors are all found owner by owner in canonical order by both) get of's message.
   */
  static ZoneSnapshot assertSameAsRebuilt(
      ZoneSnapshot base, Map<Name, List<Record>> owners, boolean sameMessage) {
    // What patch is given: unmodifiable, as a caller may well hand it List.of(...).
    Map<Name, List<Record>> copy = new LinkedHashMap<>();
    owners.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    Map<Name, List<Record>> given = Collections.unmodifiableMap(copy);

    Set<Name> changed = new HashSet<>(given.keySet());
    List<Record> after = new ArrayList<>();
    for (Record r : base.records()) {
      if (!changed.contains(r.getName())) {
        after.add(r);
      }
    }
    given.values().forEach(after::addAll);

    ZoneSnapshot expected;
    ZoneException refused = null;
    try {
      expected = ZoneSnapshot.of(base.origin(), after);
    } catch (ZoneException e) {
      expected = null;
      refused = e;
    }

    Set<Name> names = namesToProbe(base.origin(), given.keySet(), base, expected);
    List<String> baseBefore = fingerprint(base, names);

    if (refused != null) {
      Throwable thrown = catchThrowable(() -> ZoneSnapshot.patch(base, given));
      assertThat(thrown)
          .as("patch must refuse what of refuses: %s", refused.getMessage())
          .isInstanceOf(ZoneException.class);
      if (sameMessage) {
        assertThat(thrown).as("patch must refuse what of refuses").hasMessage(refused.getMessage());
      }
      assertThat(fingerprint(base, names)).as("base after a refused patch").isEqualTo(baseBefore);
      return base;
    }

    ZoneSnapshot actual = ZoneSnapshot.patch(base, given);
    names.addAll(namesToProbe(base.origin(), Set.of(), actual));

    assertThat(actual.origin()).isEqualTo(expected.origin());
    assertThat(actual.dclass()).isEqualTo(expected.dclass());
    assertThat(actual.size()).isEqualTo(expected.size());
    assertThat(strings(actual.records())).as("records()").isEqualTo(strings(expected.records()));
    assertThat(actual.serial()).isEqualTo(expected.serial());
    assertThat(actual.soa().toString()).isEqualTo(expected.soa().toString());
    assertThat(actual.negativeSoa().toString()).isEqualTo(expected.negativeSoa().toString());
    assertThat(actual.hasDelegations()).as("hasDelegations()").isEqualTo(expected.hasDelegations());
    for (Name n : names) {
      assertThat(actual.exists(n)).as("exists(%s)", n).isEqualTo(expected.exists(n));
      assertThat(nodeString(actual, n)).as("node(%s)", n).isEqualTo(nodeString(expected, n));
      LookupResult.Referral a = actual.delegation(n);
      LookupResult.Referral e = expected.delegation(n);
      if (e == null) {
        assertThat(a).as("delegation(%s)", n).isNull();
      } else {
        assertThat(a).as("delegation(%s)", n).isNotNull();
        assertThat(a.cut().toString()).as("cut of %s", n).isEqualTo(e.cut().toString());
        assertThat(a.ns().toString()).as("NS of the referral at %s", n).isEqualTo(e.ns().toString());
        assertThat(a.glue().toString()).as("glue of the referral at %s", n).isEqualTo(e.glue().toString());
      }
    }
    // The diff from base compares only the owners patched (Diffs.between) and must be the diff of
    // every record, as against the version built whole.
    var fast = io.tierdns.authoritative.edit.Diffs.between(base, actual);
    var full = io.tierdns.authoritative.edit.Diffs.between(base, expected);
    assertThat(strings(fast.removed())).as("diff: removed").isEqualTo(strings(full.removed()));
    assertThat(strings(fast.added())).as("diff: added").isEqualTo(strings(full.added()));
    assertThat(fingerprint(base, names)).as("base after the patch").isEqualTo(baseBefore);
    return actual;
  }

  /** Rejected by of and by patch alike, with the message of {@code of}, which says {@code what}. */
  private static void assertRejected(Map<Name, List<Record>> owners, String what) {
    ZoneSnapshot base = base();
    List<Record> after = new ArrayList<>();
    for (Record r : base.records()) {
      if (!owners.containsKey(r.getName())) {
        after.add(r);
      }
    }
    owners.values().forEach(after::addAll);
    assertThatThrownBy(() -> ZoneSnapshot.of(ORIGIN, after))
        .isInstanceOf(ZoneException.class)
        .hasMessageContaining(what);
    assertThat(assertSameAsRebuilt(base, owners)).isSameAs(base);
  }

  /**
   * Every owner of the snapshots, every ancestor of theirs and of {@code keys} down to the origin,
   * the keys themselves, and {@link #ABSENT}.
   */
  private static Set<Name> namesToProbe(Name origin, Set<Name> keys, ZoneSnapshot... snapshots) {
    Set<Name> owners = new LinkedHashSet<>(keys);
    for (ZoneSnapshot s : snapshots) {
      if (s != null) {
        s.records().forEach(r -> owners.add(r.getName()));
      }
    }
    Set<Name> names = new LinkedHashSet<>(ABSENT);
    names.add(origin);
    for (Name owner : owners) {
      names.add(owner);
      if (owner.subdomain(origin)) {
        for (Name n = owner; !n.equals(origin); n = new Name(n, 1)) {
          names.add(n);
        }
      }
    }
    return names;
  }

  /** What a snapshot answers, to see that a patch left its base alone. */
  private static List<String> fingerprint(ZoneSnapshot s, Set<Name> names) {
    List<String> out = new ArrayList<>(strings(s.records()));
    out.add("soa " + s.soa() + " negative " + s.negativeSoa() + " size " + s.size());
    out.add("hasDelegations " + s.hasDelegations());
    for (Name n : names) {
      out.add(n + " exists=" + s.exists(n) + " node=" + nodeString(s, n) + " delegation=" + s.delegation(n));
    }
    return out;
  }

  private static String nodeString(ZoneSnapshot s, Name n) {
    ZoneNode node = s.node(n);
    return node == null ? "null" : node.all().toString();
  }

  /** Records as text: owner, TTL, class, type and RDATA ({@link Record#equals} ignores the TTL). */
  private static List<String> strings(List<Record> records) {
    return records.stream().map(Record::toString).toList();
  }

  /** Records in master format relative to example.test., TTL 300 unless the line says. */
  private static List<Record> recs(String... lines) {
    return TestZones.parse("example.test", "$TTL 300\n" + String.join("\n", lines) + "\n");
  }

  /** The apex's records with the SOA's serial set to {@code serial}. */
  private static List<Record> apexWithSerial(ZoneSnapshot base, long serial) {
    List<Record> apex = new ArrayList<>();
    for (List<Record> set : base.node(base.origin()).all()) {
      for (Record r : set) {
        apex.add(r instanceof SOARecord soa ? withSerial(soa, serial) : r);
      }
    }
    return apex;
  }

  private static SOARecord withSerial(SOARecord soa, long serial) {
    return new SOARecord(
        soa.getName(),
        soa.getDClass(),
        soa.getTTL(),
        soa.getHost(),
        soa.getAdmin(),
        serial,
        soa.getRefresh(),
        soa.getRetry(),
        soa.getExpire(),
        soa.getMinimum());
  }

  /**
   * Random zone data over names of 1 to 4 labels, mostly from {a, b, c, d, e}, below example.test.,
   * so that names nest: owners, empty non-terminals, cuts with glue inside and below them. A few
   * labels are upper case (the same name written another way) or sort unusually in canonical order
   * ({@code *}, bytes 0 and 1, a hyphen), as patch finds an owner's records by binary search.
   */
  private static final class RandomZone {
    private static final String[] LABELS = {"a", "b", "c", "d", "e"};
    private static final String[] ODD_LABELS = {"*", "\\000", "\\001", "a-", "A", "B"};
    private static final long[] TTLS = {60, 300, 3600, 86400};
    private static final Name OUTSIDE_NS = name("ns.outside.test");

    private final Random random;

    RandomZone(Random random) {
      this.random = random;
    }

    List<Record> initialZone(int owners) {
      List<Record> records = new ArrayList<>();
      records.add(soa(1));
      records.add(new NSRecord(ORIGIN, DClass.IN, 3600, randomName()));
      records.add(new NSRecord(ORIGIN, DClass.IN, 3600, OUTSIDE_NS));
      Set<Name> taken = new HashSet<>();
      while (taken.size() < owners) {
        Name n = randomName();
        if (taken.add(n)) {
          records.addAll(validList(n));
        }
      }
      return records;
    }

    /** 1 to 10 owners, existing or new, sometimes the apex, each with a new list. */
    Map<Name, List<Record>> patch(ZoneSnapshot z) {
      List<Name> existing = z.records().stream().map(Record::getName).distinct().toList();
      Map<Name, List<Record>> owners = new LinkedHashMap<>();
      int count = 1 + random.nextInt(10);
      while (owners.size() < count) {
        Name n;
        int pick = random.nextInt(100);
        if (pick < 8) {
          n = ORIGIN;
        } else if (pick < 55) {
          n = existing.get(random.nextInt(existing.size()));
        } else {
          n = randomName();
        }
        // 1 key in 10 spelled in upper case, its records in the case they were drawn in.
        Name key = random.nextInt(10) == 0 ? name(n.toString().toUpperCase(Locale.ROOT)) : n;
        owners.put(key, n.equals(ORIGIN) ? apexList(z) : newList(n));
      }
      return owners;
    }

    private List<Record> apexList(ZoneSnapshot z) {
      int roll = random.nextInt(100);
      List<Record> list = new ArrayList<>();
      if (roll != 0) { // 1 in 100: no SOA
        long serial = random.nextInt(4) == 0 ? z.serial() : z.serial() + 1 + random.nextInt(3);
        list.add(soa(serial));
      }
      if (roll != 1) { // 1 in 100: no NS
        list.add(new NSRecord(ORIGIN, DClass.IN, ttl(), randomName()));
        if (random.nextBoolean()) {
          list.add(new NSRecord(ORIGIN, DClass.IN, ttl(), OUTSIDE_NS));
        }
      }
      if (random.nextBoolean()) {
        list.addAll(dataRecords(ORIGIN, false));
      }
      Collections.shuffle(list, random);
      return list;
    }

    private List<Record> newList(Name n) {
      int roll = random.nextInt(100);
      if (roll < 20) {
        return new ArrayList<>();
      }
      if (roll < 21) { // a CNAME beside data
        List<Record> list = dataRecords(n, true);
        list.add(random.nextInt(list.size() + 1), cname(n));
        return list;
      }
      if (roll < 22) { // two CNAMEs
        return new ArrayList<>(List.of(cname(n), cname(n)));
      }
      if (roll < 23) { // an SOA below the apex
        List<Record> list = dataRecords(n, true);
        list.add(new SOARecord(n, DClass.IN, 300, ORIGIN, ORIGIN, 1, 2, 3, 4, 5));
        return list;
      }
      return validList(n);
    }

    /** A CNAME alone (1 in 10), or data records. */
    private List<Record> validList(Name n) {
      if (random.nextInt(10) == 0) {
        List<Record> list = new ArrayList<>();
        list.add(cname(n));
        if (random.nextInt(4) == 0) {
          list.add(ZoneRecords.withTtl(list.get(0), ttl())); // a duplicate
        }
        return list;
      }
      return dataRecords(n, true);
    }

    /** 1 to 4 records among A, AAAA, TXT, MX and (below the apex) NS, from small pools. */
    private List<Record> dataRecords(Name n, boolean ns) {
      List<Record> list = new ArrayList<>();
      int count = 1 + random.nextInt(4);
      for (int i = 0; i < count; i++) {
        long ttl = random.nextInt(3) == 0 ? ttl() : 300;
        int last = 1 + random.nextInt(4); // small pools: duplicates and shared RDATA
        switch (random.nextInt(ns ? 6 : 4)) {
          case 0 -> list.add(new ARecord(n, DClass.IN, ttl, address(new byte[] {(byte) 192, 0, 2, (byte) last})));
          case 1 -> {
            byte[] v6 = new byte[16];
            v6[0] = 0x20;
            v6[1] = 0x01;
            v6[2] = 0x0d;
            v6[3] = (byte) 0xb8;
            v6[15] = (byte) last;
            list.add(new AAAARecord(n, DClass.IN, ttl, address(v6)));
          }
          case 2 -> list.add(new TXTRecord(n, DClass.IN, ttl, "t" + random.nextInt(3)));
          case 3 -> {
            Name target = random.nextInt(4) == 0 ? OUTSIDE_NS : randomName();
            list.add(new MXRecord(n, DClass.IN, ttl, 10 * random.nextInt(3), target));
          }
          default -> list.add(new NSRecord(n, DClass.IN, ttl, nsTarget(n)));
        }
      }
      return list;
    }

    /** An NS target: outside the zone, below the cut (occluded glue), or anywhere in the zone. */
    private Name nsTarget(Name cut) {
      switch (random.nextInt(4)) {
        case 0:
          return OUTSIDE_NS;
        case 1:
          try {
            return Name.concatenate(Name.fromConstantString(label()), cut);
          } catch (org.xbill.DNS.NameTooLongException e) {
            throw new AssertionError(e);
          }
        default:
          return randomName();
      }
    }

    private Record cname(Name n) {
      return new CNAMERecord(n, DClass.IN, ttl(), randomName());
    }

    private SOARecord soa(long serial) {
      long minimum = TTLS[random.nextInt(TTLS.length)];
      return new SOARecord(
          ORIGIN,
          DClass.IN,
          ttl(),
          name("ns.example.test"),
          name("hostmaster.example.test"),
          serial,
          7200,
          3600,
          1209600,
          minimum);
    }

    /** A name of 1 to 4 labels below the origin. */
    private Name randomName() {
      int labels = 1 + random.nextInt(4);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < labels; i++) {
        sb.append(label()).append('.');
      }
      return name(sb + "example.test.");
    }

    /** One of {@link #LABELS}, or 1 time in 12 one of {@link #ODD_LABELS}. */
    private String label() {
      return random.nextInt(12) == 0
          ? ODD_LABELS[random.nextInt(ODD_LABELS.length)]
          : LABELS[random.nextInt(LABELS.length)];
    }

    private long ttl() {
      return TTLS[random.nextInt(TTLS.length)];
    }

    static InetAddress address(byte[] bytes) {
      try {
        return InetAddress.getByAddress(bytes);
      } catch (UnknownHostException e) {
        throw new AssertionError(e);
      }
    }
  }
}
