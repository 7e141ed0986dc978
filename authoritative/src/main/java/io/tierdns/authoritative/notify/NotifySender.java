package io.tierdns.authoritative.notify;

import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.authoritative.edit.ZoneCommitListener;
import io.tierdns.authoritative.edit.ZoneDiff;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * Tells every configured secondary of a zone that it changed (RFC 1996), until each one
 * acknowledges.
 *
 * <p>Design note. A commit does not send at once: it arms a per-zone timer of {@code delay}
 * (default {@value #DEFAULT_DELAY_MILLIS} ms), and every commit in that window only replaces the
 * SOA to announce, so a burst of edits costs one NOTIFY carrying the latest SOA. When the timer
 * fires, each secondary of the zone gets a NOTIFY (opcode NOTIFY, AA, question zone/SOA, our SOA
 * in the answer section, RFC 1996 §3.7; TSIG-signed when the secondary has a key). A secondary
 * that does not answer, or answers with an error, is retried with exponential backoff: 1 s, 2 s,
 * 4 s ... capped at 60 s, forever, so one that was down gets the NOTIFY when it comes back. A
 * newer serial supersedes the retries of an older one (a generation number per secondary makes a
 * late answer about the old serial harmless). Only a response with QR, opcode NOTIFY, rcode
 * NOERROR and our question (the client matches ID and question) counts as an acknowledgement.
 *
 * <p>State is per (zone, secondary) as an immutable {@link NotifyState} for the admin API. Time
 * comes from a {@link NotifyScheduler}; tests drive a fake one. The lock is this object: NOTIFY
 * traffic is tiny, and no I/O happens under it except handing a message to the transport.
 *
 * <p>Per (zone, secondary, serial) the sender also keeps when that serial was first sent and when
 * it was acknowledged ({@link NotifyRecord}, the last {@value #HISTORY_PER_SECONDARY} serials per
 * secondary), for the propagation report.
 *
 * <p>Limitation: the TSIG signature on a secondary's answer is not verified (the client does not
 * hand the raw bytes back); a forged acknowledgement could only stop retries early.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1996#section-3">RFC 1996 §3</a>
 */
public final class NotifySender implements ZoneCommitListener, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NotifySender.class);

  static final long DEFAULT_DELAY_MILLIS = 100;

  /** The default coalescing delay. */
  public static final Duration DEFAULT_DELAY = Duration.ofMillis(DEFAULT_DELAY_MILLIS);

  /** The first retry delay; it doubles with each failed attempt. */
  public static final Duration FIRST_RETRY = Duration.ofSeconds(1);

  /** The longest retry delay. */
  public static final Duration MAX_RETRY = Duration.ofSeconds(60);

  /** Serials whose send and acknowledgement times are kept per (zone, secondary). */
  public static final int HISTORY_PER_SECONDARY = 100;

  private record Key(Name zone, InetSocketAddress address) {}

  /** The mutable side of one (zone, secondary): guarded by the sender's lock. */
  private static final class Entry {
    final Key key;
    NotifyTarget target;
    SOARecord soa;
    long generation;
    NotifyState state;
    NotifyScheduler.Cancellable retry;
    /** Sent serials, oldest first, at most {@link #HISTORY_PER_SECONDARY}. */
    final java.util.ArrayDeque<NotifyRecord> history = new java.util.ArrayDeque<>();

    Entry(Key key) {
      this.key = key;
    }
  }

  /** A zone whose NOTIFY waits for the coalescing delay. */
  private static final class Pending {
    SOARecord soa;
    NotifyScheduler.Cancellable timer;
  }

  private final Function<Name, List<NotifyTarget>> targets;
  private final TsigKeyring keyring;
  private final NotifyTransport transport;
  private final NotifyScheduler scheduler;
  private final Duration delay;
  private final Map<Name, Pending> pending = new HashMap<>();
  private final Map<Key, Entry> entries = new HashMap<>();
  private boolean closed;

  /**
   * @param targets the secondaries of a zone ({@code notify:} of its configuration); an empty list
   *     for a zone without
   * @param keyring the keys NOTIFY messages are signed with ({@link NotifyTarget#keyName()})
   * @param transport how a NOTIFY is sent (normally {@link NotifyTransport#udp})
   * @param scheduler time and timers
   * @param delay the coalescing delay; zero sends on the scheduler at once
   */
  public NotifySender(
      Function<Name, List<NotifyTarget>> targets,
      TsigKeyring keyring,
      NotifyTransport transport,
      NotifyScheduler scheduler,
      Duration delay) {
    this.targets = Objects.requireNonNull(targets, "targets");
    this.keyring = Objects.requireNonNull(keyring, "keyring");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.delay = Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, got " + delay);
    }
  }

  /** A commit: NOTIFY the zone's secondaries after the coalescing delay. */
  @Override
  public synchronized void committed(ZoneSnapshot snapshot, ZoneDiff diff) {
    if (closed) {
      return;
    }
    Name zone = snapshot.origin();
    Pending p = pending.get(zone);
    if (p == null) {
      p = new Pending();
      pending.put(zone, p);
      p.timer = scheduler.schedule(() -> flush(zone), delay);
    }
    p.soa = snapshot.soa();
  }

  /** NOTIFY the zone's secondaries now with this version (the admin API's {@code PUT .../notify}). */
  public synchronized void notifyNow(ZoneSnapshot snapshot) {
    Pending p = pending.remove(snapshot.origin());
    if (p != null) {
      p.timer.cancel();
    }
    announce(snapshot.origin(), snapshot.soa());
  }

  /** A zone is gone: forget its secondaries' state and stop retrying. */
  @Override
  public synchronized void deleted(Name zone) {
    Pending p = pending.remove(zone);
    if (p != null) {
      p.timer.cancel();
    }
    entries.values().removeIf(
        e -> {
          if (e.key.zone().equals(zone)) {
            cancelRetry(e);
            return true;
          }
          return false;
        });
  }

  /** Every secondary's NOTIFY state, by zone then address. */
  public synchronized List<NotifyState> states() {
    List<NotifyState> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      out.add(e.state);
    }
    out.sort(
        Comparator.comparing((NotifyState s) -> s.zone())
            .thenComparing(s -> s.address().toString()));
    return out;
  }

  /** The NOTIFY state of the zone's secondaries. */
  public List<NotifyState> states(Name zone) {
    List<NotifyState> out = new ArrayList<>();
    for (NotifyState s : states()) {
      if (s.zone().equals(zone)) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * When each serial of the zone was first sent to each secondary and acknowledged, by secondary
   * then in send order.
   */
  public synchronized List<NotifyRecord> history(Name zone) {
    List<NotifyRecord> out = new ArrayList<>();
    entries.values().stream()
        .filter(e -> e.key.zone().equals(zone))
        .sorted(Comparator.comparing(e -> e.key.address().toString()))
        .forEach(e -> out.addAll(e.history));
    return out;
  }

  /** Stops every timer; later commits are ignored. */
  @Override
  public synchronized void close() {
    closed = true;
    for (Pending p : pending.values()) {
      p.timer.cancel();
    }
    pending.clear();
    for (Entry e : entries.values()) {
      cancelRetry(e);
    }
  }

  private synchronized void flush(Name zone) {
    Pending p = pending.remove(zone);
    if (p != null && !closed) {
      announce(zone, p.soa);
    }
  }

  /** Starts announcing {@code soa} to every secondary of the zone, superseding older serials. */
  private void announce(Name zone, SOARecord soa) {
    for (NotifyTarget target : targets.apply(zone)) {
      Key key = new Key(zone, target.address());
      Entry e = entries.computeIfAbsent(key, Entry::new);
      cancelRetry(e);
      e.target = target;
      e.soa = soa;
      e.generation++;
      Instant lastAck = e.state == null ? null : e.state.lastAck();
      e.state =
          new NotifyState(
              target.address(), zone, soa.getSerial(), NotifyState.Status.PENDING, 0, null,
              lastAck, null);
      send(e);
    }
  }

  private void send(Entry e) {
    long generation = e.generation;
    NotifyState s = e.state;
    Instant now = scheduler.now();
    e.state =
        new NotifyState(
            s.address(), s.zone(), s.serial(), s.status(), s.attempts() + 1, now, s.lastAck(),
            s.lastError());
    if (e.history.isEmpty() || e.history.peekLast().serial() != s.serial()) {
      e.history.addLast(new NotifyRecord(s.address(), s.zone(), s.serial(), now, null));
      while (e.history.size() > HISTORY_PER_SECONDARY) {
        e.history.removeFirst();
      }
    }
    Message notify;
    try {
      notify = notifyMessage(e.key.zone(), e.soa, e.target);
    } catch (IllegalStateException ex) { // a key name the keyring does not have: config error
      failed(e, generation, ex.getMessage());
      return;
    }
    CompletionStage<Message> answer;
    try {
      answer = transport.send(e.target.address(), notify);
    } catch (RuntimeException ex) {
      failed(e, generation, String.valueOf(ex.getMessage()));
      return;
    }
    answer.whenComplete((response, failure) -> result(e.key, generation, response, failure));
  }

  private synchronized void result(Key key, long generation, Message response, Throwable failure) {
    Entry e = entries.get(key);
    if (e == null || e.generation != generation || closed) {
      return; // superseded by a newer serial, or the zone is gone
    }
    if (failure == null && acknowledges(response)) {
      NotifyState s = e.state;
      Instant now = scheduler.now();
      e.state =
          new NotifyState(
              s.address(), s.zone(), s.serial(), NotifyState.Status.ACKED, s.attempts(),
              s.lastAttempt(), now, null);
      NotifyRecord last = e.history.peekLast();
      if (last != null && last.serial() == s.serial()) {
        e.history.removeLast();
        e.history.addLast(last.acked(now));
      }
      log.info(
          "zone={} serial={} NOTIFY acknowledged by {} after {} attempt(s)",
          key.zone(), s.serial(), key.address(), s.attempts());
      return;
    }
    String error =
        failure != null
            ? unwrap(failure).toString()
            : "answered " + Rcode.string(response.getRcode());
    failed(e, generation, error);
  }

  private void failed(Entry e, long generation, String error) {
    NotifyState s = e.state;
    e.state =
        new NotifyState(
            s.address(), s.zone(), s.serial(), NotifyState.Status.FAILING, s.attempts(),
            s.lastAttempt(), s.lastAck(), error);
    Duration wait = backoff(s.attempts());
    // A first failure is routine (a target still starting, as the caches of `up` are when the
    // secondaries load): INFO. Still failing at the third attempt (3 s on), or at the longest
    // backoff: WARN.
    if (s.attempts() == 1) {
      log.info(
          "zone={} serial={} NOTIFY to {} failed ({}), attempt {}; retrying in {} s",
          s.zone(), s.serial(), s.address(), error, s.attempts(), wait.toSeconds());
    } else if (s.attempts() == 3 || wait.equals(MAX_RETRY)) {
      log.warn(
          "zone={} serial={} NOTIFY to {} still failing ({}), attempt {}; retrying in {} s",
          s.zone(), s.serial(), s.address(), error, s.attempts(), wait.toSeconds());
    }
    e.retry =
        scheduler.schedule(
            () -> {
              synchronized (this) {
                if (!closed && entries.get(e.key) == e && e.generation == generation) {
                  e.retry = null;
                  send(e);
                }
              }
            },
            wait);
  }

  /** 1 s after the first failed attempt, doubling, at most {@link #MAX_RETRY}. */
  static Duration backoff(int attempts) {
    int doublings = Math.min(Math.max(attempts - 1, 0), 16);
    Duration d = FIRST_RETRY.multipliedBy(1L << doublings);
    return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
  }

  private static boolean acknowledges(Message response) {
    return response != null
        && response.getHeader().getFlag(Flags.QR)
        && response.getHeader().getOpcode() == Opcode.NOTIFY
        && response.getRcode() == Rcode.NOERROR;
  }

  /** The NOTIFY message of RFC 1996 §3.7, signed when the target has a key. */
  Message notifyMessage(Name zone, SOARecord soa, NotifyTarget target) {
    Message m = new Message();
    m.getHeader().setOpcode(Opcode.NOTIFY);
    m.getHeader().setFlag(Flags.AA);
    m.addRecord(Record.newRecord(zone, Type.SOA, DClass.IN), Section.QUESTION);
    m.addRecord(soa, Section.ANSWER);
    if (target.keyName() != null) {
      Optional<TSIG> key = keyring.key(target.keyName());
      if (key.isEmpty()) {
        throw new IllegalStateException("no TSIG key named " + target.keyName());
      }
      m.setTSIG(key.get());
    }
    return m;
  }

  private void cancelRetry(Entry e) {
    if (e.retry != null) {
      e.retry.cancel();
      e.retry = null;
    }
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
