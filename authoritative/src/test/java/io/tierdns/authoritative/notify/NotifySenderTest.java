package io.tierdns.authoritative.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.acl.TsigKeyConfig;
import io.tierdns.authoritative.acl.TsigKeyring;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** NOTIFY coalescing, backoff and acknowledgement on a fake clock. */
class NotifySenderTest {

  static final Name ZONE = Name.fromConstantString("n.test.");
  static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 5301);
  static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 5302);

  /** A scheduler whose time only moves when the test says so. */
  static final class FakeScheduler implements NotifyScheduler {
    record Task(Instant at, long seq, Runnable run, boolean[] cancelled) {}

    Instant now = Instant.parse("2025-01-01T00:00:00Z");
    long seq;
    final List<Task> tasks = new ArrayList<>();

    @Override
    public Instant now() {
      return now;
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
      boolean[] cancelled = {false};
      tasks.add(new Task(now.plus(delay), seq++, task, cancelled));
      return () -> cancelled[0] = true;
    }

    void advance(Duration d) {
      Instant end = now.plus(d);
      while (true) {
        Task next =
            tasks.stream()
                .filter(t -> !t.at().isAfter(end))
                .min(Comparator.comparing(Task::at).thenComparing(Task::seq))
                .orElse(null);
        if (next == null) {
          break;
        }
        tasks.remove(next);
        now = next.at();
        if (!next.cancelled()[0]) {
          next.run().run();
        }
      }
      now = end;
    }
  }

  /** Records every send; the test completes each answer. */
  static final class FakeTransport implements NotifyTransport {
    record Sent(InetSocketAddress to, Message message, CompletableFuture<Message> answer) {}

    final List<Sent> sent = new ArrayList<>();

    @Override
    public CompletableFuture<Message> send(InetSocketAddress secondary, Message notify) {
      Sent s = new Sent(secondary, notify, new CompletableFuture<>());
      sent.add(s);
      return s.answer();
    }

    Sent last() {
      return sent.get(sent.size() - 1);
    }
  }

  final FakeScheduler clock = new FakeScheduler();
  final FakeTransport transport = new FakeTransport();
  final TsigKeyring keyring =
      TsigKeyring.of(List.of(new TsigKeyConfig("n-key", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=")));
  final NotifySender sender =
      new NotifySender(
          zone -> List.of(new NotifyTarget(A, TsigKeyring.keyName("n-key")), new NotifyTarget(B)),
          keyring, transport, clock, Duration.ofMillis(100));

  static ZoneSnapshot zone(long serial) {
    String text = "$TTL 300\n@ SOA ns h " + serial + " 1 1 1 1\n@ NS ns\nns A 192.0.2.1\n";
    List<Record> records = new ArrayList<>();
    try (Master m = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), ZONE)) {
      for (Record r = m.nextRecord(); r != null; r = m.nextRecord()) {
        records.add(r);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return ZoneSnapshot.of(ZONE, records);
  }

  static Message ack(Message notify) {
    Message r = new Message(notify.getHeader().getID());
    r.getHeader().setOpcode(Opcode.NOTIFY);
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setFlag(Flags.AA);
    r.addRecord(notify.getQuestion(), Section.QUESTION);
    return r;
  }

  NotifyState state(InetSocketAddress address) {
    return sender.states(ZONE).stream().filter(s -> s.address().equals(address)).findFirst().orElseThrow();
  }

  @Test
  void commitsWithinTheDelayAreCoalescedIntoOneNotifyWithTheLatestSoa() {
    sender.committed(zone(1), null);
    clock.advance(Duration.ofMillis(50));
    sender.committed(zone(2), null);
    sender.committed(zone(3), null);
    assertThat(transport.sent).isEmpty();
    clock.advance(Duration.ofMillis(50));
    assertThat(transport.sent).hasSize(2); // one per secondary
    for (FakeTransport.Sent s : transport.sent) {
      Message n = s.message();
      assertThat(n.getHeader().getOpcode()).isEqualTo(Opcode.NOTIFY);
      assertThat(n.getHeader().getFlag(Flags.AA)).isTrue();
      assertThat(n.getQuestion().getName()).isEqualTo(ZONE);
      assertThat(n.getQuestion().getType()).isEqualTo(Type.SOA);
      assertThat(((SOARecord) n.getSection(Section.ANSWER).get(0)).getSerial()).isEqualTo(3);
    }
  }

  @Test
  void aNotifyToASecondaryWithAKeyIsSigned() throws Exception {
    sender.notifyNow(zone(7));
    Message toA = transport.sent.get(0).message();
    Message toB = transport.sent.get(1).message();
    Message renderedA = new Message(toA.toWire(65535));
    assertThat(renderedA.getTSIG()).isNotNull();
    assertThat(renderedA.getTSIG().getName()).isEqualTo(TsigKeyring.keyName("n-key"));
    assertThat(new Message(toB.toWire(65535)).getTSIG()).isNull();
  }

  @Test
  void aMatchingNoerrorAnswerAcknowledges() {
    sender.notifyNow(zone(5));
    transport.sent.get(0).answer().complete(ack(transport.sent.get(0).message()));
    assertThat(state(A).status()).isEqualTo(NotifyState.Status.ACKED);
    assertThat(state(A).lastAck()).isEqualTo(clock.now);
    assertThat(state(B).status()).isEqualTo(NotifyState.Status.PENDING);
    clock.advance(Duration.ofMinutes(10));
    assertThat(transport.sent.stream().filter(s -> s.to().equals(A))).hasSize(1); // no retry
  }

  @Test
  void aSilentSecondaryIsRetriedWithBackoffDoublingUpToSixtySecondsAndGetsItWhenBack() {
    sender.notifyNow(zone(5));
    for (int i = 0; i < 9; i++) {
      FakeTransport.Sent toA =
          transport.sent.stream().filter(s -> s.to().equals(A)).reduce((x, y) -> y).orElseThrow();
      toA.answer().completeExceptionally(new TimeoutException("no answer"));
      assertThat(state(A).status()).isEqualTo(NotifyState.Status.FAILING);
      assertThat(state(A).lastError()).contains("no answer");
      int before = transport.sent.size();
      clock.advance(Duration.ofSeconds(61));
      assertThat(transport.sent.size()).isGreaterThan(before);
    }
    assertThat(NotifySender.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(NotifySender.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(NotifySender.backoff(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(NotifySender.backoff(7)).isEqualTo(Duration.ofSeconds(60));
    assertThat(NotifySender.backoff(1000)).isEqualTo(Duration.ofSeconds(60));
    assertThat(state(A).attempts()).isEqualTo(10);
    // the secondary comes back
    FakeTransport.Sent last =
        transport.sent.stream().filter(s -> s.to().equals(A)).reduce((x, y) -> y).orElseThrow();
    last.answer().complete(ack(last.message()));
    assertThat(state(A).status()).isEqualTo(NotifyState.Status.ACKED);
  }

  @Test
  void retriesAreSpacedByTheBackoff() {
    sender.notifyNow(zone(5));
    Instant start = clock.now;
    transport.sent.get(0).answer().completeExceptionally(new TimeoutException());
    clock.advance(Duration.ofMillis(999));
    assertThat(transport.sent.stream().filter(s -> s.to().equals(A))).hasSize(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(transport.sent.stream().filter(s -> s.to().equals(A))).hasSize(2);
    assertThat(state(A).lastAttempt()).isEqualTo(start.plusSeconds(1));
    transport.last().answer().completeExceptionally(new TimeoutException());
    clock.advance(Duration.ofMillis(1999));
    assertThat(transport.sent.stream().filter(s -> s.to().equals(A))).hasSize(2);
    clock.advance(Duration.ofMillis(1));
    assertThat(transport.sent.stream().filter(s -> s.to().equals(A))).hasSize(3);
  }

  @Test
  void anErrorRcodeIsNotAnAcknowledgement() {
    sender.notifyNow(zone(5));
    Message refused = ack(transport.sent.get(0).message());
    refused.getHeader().setRcode(Rcode.REFUSED);
    transport.sent.get(0).answer().complete(refused);
    assertThat(state(A).status()).isEqualTo(NotifyState.Status.FAILING);
    assertThat(state(A).lastError()).contains("REFUSED");
  }

  @Test
  void aNewerSerialSupersedesTheRetriesAndLateAnswersOfAnOlderOne() {
    sender.notifyNow(zone(5));
    FakeTransport.Sent old = transport.sent.get(0);
    old.answer().completeExceptionally(new TimeoutException());
    sender.notifyNow(zone(6));
    assertThat(state(A).serial()).isEqualTo(6);
    assertThat(state(A).attempts()).isEqualTo(1);
    old.answer().obtrudeValue(ack(old.message())); // late, about serial 5: ignored
    assertThat(state(A).status()).isEqualTo(NotifyState.Status.PENDING);
    clock.advance(Duration.ofSeconds(5)); // the serial-5 retry was cancelled
    assertThat(transport.sent.stream().filter(s -> s.to().equals(A))).hasSize(2);
  }

  @Test
  void theFirstSendAndTheAcknowledgementOfEachSerialAreRecordedPerSecondary() {
    Instant t0 = clock.now;
    sender.committed(zone(1), null);
    clock.advance(Duration.ofMillis(100)); // the coalescing delay
    FakeTransport.Sent toA = transport.sent.get(0);
    clock.advance(Duration.ofMillis(7));
    toA.answer().complete(ack(toA.message()));
    // B times out and is retried: the first send is what counts
    transport.sent.get(1).answer().completeExceptionally(new TimeoutException("no answer"));
    clock.advance(Duration.ofSeconds(1));
    FakeTransport.Sent retryB = transport.last();
    assertThat(retryB.to()).isEqualTo(B);
    clock.advance(Duration.ofMillis(3));
    retryB.answer().complete(ack(retryB.message()));
    List<NotifyRecord> history = sender.history(ZONE);
    assertThat(history).containsExactly(
        new NotifyRecord(A, ZONE, 1, t0.plusMillis(100), t0.plusMillis(107)),
        new NotifyRecord(B, ZONE, 1, t0.plusMillis(100), t0.plusMillis(1107 + 3)));
    // a newer serial adds a record; an unanswered one has no ack
    sender.notifyNow(zone(2));
    assertThat(sender.history(ZONE)).hasSize(4)
        .filteredOn(r -> r.serial() == 2).allSatisfy(r -> {
          assertThat(r.firstSentAt()).isEqualTo(clock.now);
          assertThat(r.ackedAt()).isNull();
        });
  }

  @Test
  void aLateAnswerAboutASupersededSerialDoesNotAcknowledgeTheNewOne() {
    sender.notifyNow(zone(1));
    FakeTransport.Sent first = transport.sent.get(0);
    sender.notifyNow(zone(2));
    first.answer().complete(ack(first.message()));
    assertThat(sender.history(ZONE)).filteredOn(r -> r.address().equals(A))
        .extracting(NotifyRecord::ackedAt).containsOnlyNulls();
  }

  @Test
  void theHistoryIsBoundedPerSecondary() {
    for (int serial = 1; serial <= NotifySender.HISTORY_PER_SECONDARY + 5; serial++) {
      sender.notifyNow(zone(serial));
    }
    assertThat(sender.history(ZONE)).hasSize(2 * NotifySender.HISTORY_PER_SECONDARY);
    assertThat(sender.history(ZONE).get(0).serial()).isEqualTo(6);
  }
}
