package io.tierdns.authoritative.edit;

import static io.tierdns.authoritative.edit.EditFixtures.base;
import static io.tierdns.authoritative.edit.EditFixtures.name;
import static io.tierdns.authoritative.edit.EditFixtures.rr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tierdns.authoritative.ZoneSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class DiffsTest {

  private static final long MAX = 0xFFFF_FFFFL;

  private static ZoneSnapshot edit(ZoneSnapshot z, long serial, ZoneChange... changes) {
    return ZoneChanges.apply(z, List.of(changes), serial);
  }

  @Test
  void betweenListsRemovedAndAddedRecordsButNotTheSoa() {
    ZoneSnapshot v1 = base(1);
    ZoneSnapshot v2 = edit(v1, 2, new ZoneChange.DeleteRRset(name("www"), Type.A), new ZoneChange.AddRecord(rr("mail A 192.0.2.9")));
    ZoneDiff d = Diffs.between(v1, v2);
    assertThat(d.fromSerial()).isEqualTo(1);
    assertThat(d.toSerial()).isEqualTo(2);
    assertThat(d.removed()).containsExactly(rr("www A 192.0.2.3"));
    assertThat(d.added()).containsExactly(rr("mail A 192.0.2.9"));
  }

  /** The diff of a version made by an edit, against a copy of it built whole (every record compared). */
  private static void assertDiffOfTheEditIsTheWholeDiff(ZoneSnapshot from, ZoneSnapshot to) {
    ZoneSnapshot whole = ZoneSnapshot.of(to.origin(), to.records());
    assertThat(to.ownersChangedSince(from)).as("an edit patches the version it starts from").isPresent();
    assertThat(whole.ownersChangedSince(from)).isEmpty();
    ZoneDiff fast = Diffs.between(from, to);
    ZoneDiff full = Diffs.between(from, whole);
    assertThat(fast.removed().stream().map(Record::toString).toList())
        .isEqualTo(full.removed().stream().map(Record::toString).toList());
    assertThat(fast.added().stream().map(Record::toString).toList())
        .isEqualTo(full.added().stream().map(Record::toString).toList());
    assertThat(fast.fromSoa()).isEqualTo(full.fromSoa());
    assertThat(fast.toSoa()).isEqualTo(full.toSoa());
  }

  @Test
  void theDiffOfAnEditComparesOnlyTheOwnersItChangedAndGivesTheWholeDiff() {
    ZoneSnapshot v1 = base(1);
    ZoneSnapshot v2 = edit(v1, 2, new ZoneChange.DeleteName(name("www")), new ZoneChange.AddRecord(rr("www CNAME ns1")),
        new ZoneChange.AddRecord(rr("a.b.c A 192.0.2.7")), new ZoneChange.AddRecord(rr("txt TXT \"hello\"")));
    assertDiffOfTheEditIsTheWholeDiff(v1, v2);
    ZoneSnapshot v3 = edit(v2, 3, new ZoneChange.ReplaceRRset(name("a.b.c"), Type.A, List.of(rr("a.b.c 60 A 192.0.2.8"))),
        new ZoneChange.DeleteRRset(name("txt"), Type.TXT), new ZoneChange.AddRecord(rr("www CNAME ns1")));
    assertDiffOfTheEditIsTheWholeDiff(v2, v3);
    ZoneSnapshot v4 = edit(v3, 4, new ZoneChange.DeleteRRset(name("nothing-here"), Type.A), new ZoneChange.AddRecord(rr("mail A 192.0.2.9")));
    assertDiffOfTheEditIsTheWholeDiff(v3, v4);
    // between versions further apart, every record is compared, as before
    assertThat(v4.ownersChangedSince(v2)).isEmpty();
    assertThat(Diffs.between(v2, v4).added()).contains(rr("mail A 192.0.2.9"));
    // an IXFR applied (Diffs.applyAll) is a patch as well
    ZoneSnapshot applied = Diffs.applyAll(v3, List.of(Diffs.between(v3, v4)));
    assertDiffOfTheEditIsTheWholeDiff(v3, applied);
  }

  @Test
  void aTtlChangeIsARemovalAndAnAddition() {
    ZoneSnapshot v1 = base(1);
    ZoneSnapshot v2 = edit(v1, 2, new ZoneChange.ReplaceRRset(name("www"), Type.A, List.of(rr("www 60 A 192.0.2.3"))));
    ZoneDiff d = Diffs.between(v1, v2);
    assertThat(d.removed()).extracting(Record::getTTL).containsExactly(300L);
    assertThat(d.added()).extracting(Record::getTTL).containsExactly(60L);
    assertThat(Diffs.apply(v1, d).rrset(name("www"), Type.A).orElseThrow().getTTL()).isEqualTo(60);
  }

  @Test
  void applyingTheDiffBetweenTwoVersionsGivesTheSecondAndInvertingItGivesTheFirst() {
    ZoneSnapshot v1 = base(1);
    ZoneSnapshot v2 = edit(v1, 2, new ZoneChange.DeleteName(name("www")), new ZoneChange.AddRecord(rr("www CNAME ns1")), new ZoneChange.AddRecord(rr("txt TXT \"hello\"")));
    ZoneDiff d = Diffs.between(v1, v2);
    assertThat(Diffs.sameContent(Diffs.apply(v1, d), v2)).isTrue();
    assertThat(Diffs.sameContent(Diffs.apply(v2, Diffs.invert(d)), v1)).isTrue();
  }

  @Test
  void condensingDropsARecordAddedThenRemovedAndOneRemovedThenAddedBack() {
    ZoneSnapshot v1 = base(1);
    ZoneSnapshot v2 = edit(v1, 2, new ZoneChange.AddRecord(rr("tmp A 192.0.2.66")), new ZoneChange.DeleteRRset(name("www"), Type.A));
    ZoneSnapshot v3 = edit(v2, 3, new ZoneChange.DeleteRRset(name("tmp"), Type.A), new ZoneChange.AddRecord(rr("www A 192.0.2.3")), new ZoneChange.AddRecord(rr("new A 192.0.2.5")));
    ZoneDiff c = Diffs.condense(List.of(Diffs.between(v1, v2), Diffs.between(v2, v3)));
    assertThat(c.removed()).isEmpty();
    assertThat(c.added()).containsExactly(rr("new A 192.0.2.5"));
    assertThat(c.fromSerial()).isEqualTo(1);
    assertThat(c.toSerial()).isEqualTo(3);
    assertThat(Diffs.sameContent(Diffs.apply(v1, c), v3)).isTrue();
  }

  @Test
  void aRecordListedTwiceInOneDiffCountsOnceWhenCondensing() {
    ZoneSnapshot v1 = base(1);
    ZoneSnapshot v2 = edit(v1, 2, new ZoneChange.AddRecord(rr("new A 192.0.2.99")));
    ZoneDiff add = Diffs.between(v1, v2);
    ZoneDiff removeTwice =
        new ZoneDiff(v2.origin(), v2.soa(), base(3).soa(), List.of(rr("new A 192.0.2.99"), rr("new A 192.0.2.99")), List.of());
    ZoneDiff c = Diffs.condense(List.of(add, removeTwice));
    assertThat(c.removed()).isEmpty();
    assertThat(c.added()).isEmpty();
    assertThat(Diffs.apply(v1, c).serial()).isEqualTo(3);
  }

  @Test
  void aRecordAddedWithOneTtlAndRemovedWithAnotherCancelsOut() {
    ZoneSnapshot v1 = base(1);
    ZoneSnapshot v2 = edit(v1, 2, new ZoneChange.AddRecord(rr("new 262444 A 192.0.2.99")));
    ZoneDiff add = Diffs.between(v1, v2);
    ZoneDiff remove = new ZoneDiff(v2.origin(), v2.soa(), base(3).soa(), List.of(rr("new 300 A 192.0.2.99")), List.of());
    ZoneDiff c = Diffs.condense(List.of(add, remove));
    assertThat(c.removed()).isEmpty();
    assertThat(c.added()).isEmpty();
  }

  @Test
  void aTtlChangedThereAndBackCancelsOutAndAChangedTtlStaysAsRemoveAndAdd() {
    ZoneSnapshot v1 = base(1);
    ZoneSnapshot v2 = edit(v1, 2, new ZoneChange.DeleteRRset(name("www"), Type.A), new ZoneChange.AddRecord(rr("www 600 A 192.0.2.3")));
    ZoneSnapshot v3 = edit(v2, 3, new ZoneChange.DeleteRRset(name("www"), Type.A), new ZoneChange.AddRecord(rr("www 900 A 192.0.2.3")));
    ZoneDiff c = Diffs.condense(List.of(Diffs.between(v1, v2), Diffs.between(v2, v3)));
    assertThat(Diffs.sameContent(Diffs.apply(v1, c), v3)).isTrue();
    assertThat(c.added()).hasSize(1);
    assertThat(c.added().get(0).getTTL()).isEqualTo(900);
  }

  @Test
  void aCondensedChainAcrossSerialWrapAroundEqualsTheDirectDiff() {
    ZoneSnapshot a = base(MAX - 1);
    ZoneSnapshot b = edit(a, MAX, new ZoneChange.AddRecord(rr("a A 192.0.2.10")));
    ZoneSnapshot c = edit(b, 0, new ZoneChange.AddRecord(rr("b A 192.0.2.11")), new ZoneChange.DeleteRRset(name("a"), Type.A));
    ZoneSnapshot d = edit(c, 1, new ZoneChange.DeleteRRset(name("www"), Type.A));
    ZoneDiff condensed = Diffs.condense(List.of(Diffs.between(a, b), Diffs.between(b, c), Diffs.between(c, d)));
    ZoneDiff direct = Diffs.between(a, d);
    assertThat(condensed.removed()).isEqualTo(direct.removed());
    assertThat(condensed.added()).isEqualTo(direct.added());
    assertThat(condensed.toSerial()).isEqualTo(1);
  }

  @Test
  void condensingRefusesAnEmptyChainOrOneWithAGap() {
    ZoneSnapshot v1 = base(1);
    ZoneSnapshot v2 = edit(v1, 2, new ZoneChange.AddRecord(rr("x A 192.0.2.1")));
    ZoneSnapshot v4 = edit(v2, 4, new ZoneChange.AddRecord(rr("y A 192.0.2.1")));
    ZoneSnapshot v5 = edit(v4, 5, new ZoneChange.AddRecord(rr("z A 192.0.2.1")));
    assertThatThrownBy(() -> Diffs.condense(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Diffs.condense(List.of(Diffs.between(v1, v2), Diffs.between(v4, v5))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not consecutive");
  }

  @Test
  void applyingFailsClearlyWhenTheDiffDoesNotFit() {
    ZoneSnapshot v1 = base(1);
    ZoneSnapshot v2 = edit(v1, 2, new ZoneChange.DeleteRRset(name("www"), Type.A));
    ZoneDiff d = Diffs.between(v1, v2);
    assertThatThrownBy(() -> Diffs.apply(v2, d)).isInstanceOf(Diffs.MismatchException.class).hasMessageContaining("serial 1").hasMessageContaining("serial 2");
    ZoneDiff missing = new ZoneDiff(v1.origin(), v1.soa(), v2.soa(), List.of(rr("nope A 192.0.2.1")), List.of());
    assertThatThrownBy(() -> Diffs.apply(v1, missing)).isInstanceOf(Diffs.MismatchException.class).hasMessageContaining("nope.example.test.");
    ZoneDiff present = new ZoneDiff(v1.origin(), v1.soa(), v2.soa(), List.of(), List.of(rr("www A 192.0.2.3")));
    assertThatThrownBy(() -> Diffs.apply(v1, present)).isInstanceOf(Diffs.MismatchException.class).hasMessageContaining("has already");
    // a new SOA named elsewhere (an IXFR from TransferResponseFuzzTest): an invalid result, and
    // the version applied to is as it was
    org.xbill.DNS.SOARecord elsewhere = (org.xbill.DNS.SOARecord) v2.soa().withName(name("other"));
    ZoneDiff moved = new ZoneDiff(v1.origin(), v1.soa(), elsewhere, List.of(), List.of());
    assertThatThrownBy(() -> Diffs.apply(v1, moved)).isInstanceOf(Diffs.MismatchException.class).hasMessageContaining("not at the zone apex");
    assertThat(v1.soa().getName()).isEqualTo(v1.origin());
  }

  @Test
  void aLenientPatchSkipsWhatIsAlreadyThereOrGone() {
    ZoneSnapshot v1 = base(1);
    ZoneDiff patch = new ZoneDiff(v1.origin(), v1.soa(), Diffs.withSerial(v1.soa(), 9), List.of(rr("nope A 192.0.2.1")), List.of(rr("www A 192.0.2.3"), rr("n A 192.0.2.4")));
    ZoneSnapshot v9 = Diffs.patch(v1, patch);
    assertThat(v9.serial()).isEqualTo(9);
    assertThat(v9.rrset(name("n"), Type.A)).isPresent();
  }
}
