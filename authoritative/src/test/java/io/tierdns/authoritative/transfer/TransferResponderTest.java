package io.tierdns.authoritative.transfer;

import static io.tierdns.authoritative.transfer.TransferTestZones.ZONE;
import static io.tierdns.authoritative.transfer.TransferTestZones.edit;
import static io.tierdns.authoritative.transfer.TransferTestZones.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.edit.ZoneDiff;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class TransferResponderTest {

  final ZoneSnapshot v1 = TransferTestZones.zone(2147483640L, 20);
  final TransferTestZones.History history = new TransferTestZones.History();
  final TransferResponder responder = new TransferResponder(history, 512);
  // Serials cross the RFC 1982 midpoint (2^31) on the way.
  final ZoneDiff d1 =
      edit(v1, 2147483650L, List.of(record("host1 3600 A 10.0.0.1")), List.of(record("a 300 A 192.0.2.9")));
  final ZoneSnapshot v2 = Diffs.apply(v1, d1);
  final ZoneDiff d2 =
      edit(v2, 2147483660L, List.of(record("a 300 A 192.0.2.9")), List.of(record("b 300 A 192.0.2.10")));
  final ZoneSnapshot v3 = Diffs.apply(v2, d2);

  {
    history.add(d1);
    history.add(d2);
  }

  static Message query(int type, long serial) {
    Message q = Message.newQuery(Record.newRecord(ZONE, type, DClass.IN));
    if (type == Type.IXFR) {
      q.addRecord(
          new SOARecord(ZONE, DClass.IN, 0, ZONE, ZONE, serial, 0, 0, 0, 0), Section.AUTHORITY);
    }
    return q;
  }

  static List<Record> answers(List<Message> messages) {
    List<Record> all = new ArrayList<>();
    messages.forEach(m -> all.addAll(m.getSection(Section.ANSWER)));
    return all;
  }

  @Test
  void axfrIsSoaEveryRecordSoaCutIntoMessagesWithinTheBudget() {
    List<Message> messages = responder.axfr(query(Type.AXFR, 0), v3);
    assertThat(messages.size()).isGreaterThan(1);
    List<Record> all = answers(messages);
    assertThat(all).hasSize(v3.size() + 1);
    assertThat(all.get(0)).isEqualTo(v3.soa());
    assertThat(all.get(all.size() - 1)).isEqualTo(v3.soa());
    assertThat(all.stream().filter(r -> r.getType() == Type.SOA)).hasSize(2);
    for (Message m : messages) {
      assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
      assertThat(m.getQuestion().getName()).isEqualTo(ZONE);
      assertThat(m.toWire(65535).length).isLessThanOrEqualTo(512);
    }
  }

  @Test
  void aRecordLargerThanTheBudgetGetsAMessageOfItsOwn() {
    List<Record> records = List.of(v1.soa(), record("big TXT \"" + "x".repeat(250) + "\" \"" + "y".repeat(250) + "\" \"" + "z".repeat(250) + "\""), v1.soa());
    List<Message> messages = TransferResponder.split(query(Type.AXFR, 0), records, 512);
    assertThat(messages).hasSize(3);
    assertThat(answers(messages)).isEqualTo(records);
  }

  @Test
  void messagesTakenInOrderAreTheMessagesAskedForByIndex() {
    // The wire layer iterates (finding each cut as it goes); size() and get() find them all.
    List<Record> records = TransferResponder.axfrRecords(v3);
    List<Message> iterated = new ArrayList<>();
    TransferResponder.split(query(Type.AXFR, 0), records, 512).forEach(iterated::add);
    List<Message> indexed = TransferResponder.split(query(Type.AXFR, 0), records, 512);
    assertThat(iterated).hasSize(indexed.size()).hasSizeGreaterThan(1);
    for (int i = 0; i < iterated.size(); i++) {
      assertThat(iterated.get(i).getSection(Section.ANSWER)).isEqualTo(indexed.get(i).getSection(Section.ANSWER));
    }
    assertThat(answers(iterated)).isEqualTo(records);
    // Asked for twice, a message is built twice, the same.
    assertThat(indexed.get(1).getSection(Section.ANSWER)).isEqualTo(indexed.get(1).getSection(Section.ANSWER));
  }

  @Test
  void anEmptyAnswerIsOneEmptyMessage() {
    List<Message> messages = TransferResponder.split(query(Type.AXFR, 0), List.of(), 512);
    assertThat(messages.iterator().hasNext()).isTrue();
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void aCurrentSerialGetsTheSoaAlone() {
    IxfrPlan plan = responder.plan(v3, v3.serial());
    assertThat(plan).isInstanceOf(IxfrPlan.UpToDate.class);
    assertThat(answers(responder.ixfr(query(Type.IXFR, v3.serial()), v3, plan))).containsExactly(v3.soa());
  }

  @Test
  void aSerialTheJournalReachesGetsOneCondensedDifference() {
    IxfrPlan plan = responder.plan(v3, v1.serial());
    assertThat(plan).isInstanceOf(IxfrPlan.Incremental.class);
    List<Record> all = answers(responder.ixfr(query(Type.IXFR, v1.serial()), v3, plan));
    // a was added then removed: condensed away
    assertThat(all)
        .containsExactly(
            v3.soa(), v1.soa(), record("host1 3600 A 10.0.0.1"), v3.soa(), record("b 300 A 192.0.2.10"), v3.soa());
    assertThat(((SOARecord) all.get(1)).getSerial()).isEqualTo(v1.serial());
  }

  @Test
  void aSerialTheJournalNoLongerReachesGetsTheWholeZone() {
    history.forgetOldest();
    IxfrPlan plan = responder.plan(v3, v1.serial());
    assertThat(plan).isEqualTo(new IxfrPlan.FullZone(IxfrPlan.FullReason.JOURNAL_GAP));
    List<Record> all = answers(responder.ixfr(query(Type.IXFR, v1.serial()), v3, plan));
    assertThat(all).hasSize(v3.size() + 1);
    assertThat(all.get(1)).isNotInstanceOf(SOARecord.class); // AXFR form, not a difference
  }

  @Test
  void anUnknownSerialGetsTheWholeZone() {
    assertThat(responder.plan(v3, v1.serial() - 5))
        .isEqualTo(new IxfrPlan.FullZone(IxfrPlan.FullReason.JOURNAL_GAP));
  }

  @Test
  void aSerialNewerThanOursOrIncomparableGetsTheWholeZone() {
    assertThat(responder.plan(v3, v3.serial() + 1))
        .isEqualTo(new IxfrPlan.FullZone(IxfrPlan.FullReason.CLIENT_SERIAL_NOT_OLDER));
    assertThat(responder.plan(v3, (v3.serial() + (1L << 31)) & 0xFFFFFFFFL))
        .isEqualTo(new IxfrPlan.FullZone(IxfrPlan.FullReason.CLIENT_SERIAL_NOT_OLDER));
  }

  @Test
  void withoutAJournalAnOlderSerialGetsTheWholeZone() {
    assertThat(new TransferResponder(null).plan(v3, v1.serial()))
        .isEqualTo(new IxfrPlan.FullZone(IxfrPlan.FullReason.NO_JOURNAL));
  }

  @Test
  void aDifferenceLargerThanTheZoneGetsTheWholeZone() {
    // every host renumbered: 2 x 19 records changed in a zone of about 25
    List<Record> removed = new ArrayList<>();
    List<Record> added = new ArrayList<>();
    for (int i = 2; i < 20; i++) {
      removed.add(record("host" + i + " 3600 A 10.0.0." + i));
      added.add(record("host" + i + " 3600 A 10.9.0." + i));
    }
    ZoneDiff big = edit(v3, 2147483670L, removed, added);
    history.add(big);
    ZoneSnapshot v4 = Diffs.apply(v3, big);
    assertThat(responder.plan(v4, v3.serial()))
        .isEqualTo(new IxfrPlan.FullZone(IxfrPlan.FullReason.DIFF_LARGER_THAN_ZONE));
  }

  @Test
  void overUdpAnIxfrThatFitsIsSentWhole() {
    IxfrPlan plan = responder.plan(v3, v2.serial());
    Message m = responder.ixfrUdp(query(Type.IXFR, v2.serial()), v3, plan, 1232);
    assertThat(m.getSection(Section.ANSWER)).hasSize(6);
  }

  @Test
  void overUdpAnIxfrThatDoesNotFitIsTheSoaAlone() {
    IxfrPlan plan = responder.plan(v3, v1.serial() - 5); // whole zone
    Message m = responder.ixfrUdp(query(Type.IXFR, v1.serial() - 5), v3, plan, 512);
    assertThat(m.getSection(Section.ANSWER)).containsExactly(v3.soa());
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
  }

  @Test
  void overUdpASmallWholeZoneThatFitsIsSentWhole() {
    IxfrPlan plan = responder.plan(v3, v1.serial() - 5); // whole zone
    Message m = responder.ixfrUdp(query(Type.IXFR, v1.serial() - 5), v3, plan, 65535);
    assertThat(m.getSection(Section.ANSWER)).hasSize(v3.size() + 1); // SOA first and last
  }

  @Test
  void overUdpAWholeZoneOfMoreRecordsThanCouldFitIsTheSoaAloneWithoutBeingSplit() {
    java.util.List<Record> many = new java.util.ArrayList<>(v3.records());
    for (int i = 0; i < 200; i++) {
      many.add(record("bulk" + i + " 3600 A 10.8." + (i / 256) + "." + (i % 256)));
    }
    ZoneSnapshot big = ZoneSnapshot.of(v3.origin(), many);
    IxfrPlan plan = new IxfrPlan.FullZone(IxfrPlan.FullReason.NO_JOURNAL);
    Message m = responder.ixfrUdp(query(Type.IXFR, 1), big, plan, 1232);
    assertThat(m.getSection(Section.ANSWER)).containsExactly(big.soa());
  }
}
