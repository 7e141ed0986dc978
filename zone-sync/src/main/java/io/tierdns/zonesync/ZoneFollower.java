package io.tierdns.zonesync;

import io.tierdns.authoritative.ZoneException;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.edit.ZoneCommitListener;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.notify.NotifyScheduler;
import io.tierdns.authoritative.serial.Serial;
import io.tierdns.authoritative.serial.SerialComparison;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * One secondary zone: its event table and the handler of each event.
 *
 * <p>Design note. Everything this class does runs on the zone's {@link SerialLane}, one handler
 * at a time, so its mutable fields need no lock; what other threads read (the {@link
 * SecondaryZone} state, whether the zone is expired, when it expires) is published through
 * volatile fields. A refresh (REFRESH, RETRY and NOTIFY events alike) asks every primary for its
 * SOA, orders the ones that answered by serial, newest first, and walks them with {@link
 * TransferPlan} until it says UP_TO_DATE or RETRY_LATER or a transfer applies. A transfer builds
 * the candidate version off the serving path (IXFR: {@link Diffs#applyAll}; AXFR: {@link
 * ZoneSnapshot#of}), checks that its serial moves forward and that its ZONEMD (if any) matches,
 * and only then journals and swaps it ({@link SecondaryJournal}; a whole version's journal
 * snapshot is written after the swap, with the fsync); any failure before that leaves the old
 * version serving. After each applied change the {@link ZoneCommitListener}s are told
 * (a {@code NotifySender} there NOTIFYs the downstream secondaries).
 *
 * <p>Timers (RFC 1035 §3.3.13, clamped by the configuration): after a successful refresh,
 * REFRESH is planned after SOA REFRESH and EXPIRE after SOA EXPIRE (or the primary's lower EDNS
 * EXPIRE, RFC 7314); after a failed one, RETRY after SOA RETRY. A refresh succeeds when a primary
 * answers its SOA at our serial or a transfer from it applies; a primary whose serial went
 * backwards does not count. When EXPIRE fires the zone is removed from the registry and the
 * {@link SecondaryHandler} answers SERVFAIL for it until a refresh succeeds.
 */
public final class ZoneFollower implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ZoneFollower.class);

  private final SecondaryZoneConfig config;
  private final Name zone;
  private final SecondaryJournal store;
  private final ZoneRegistry registry;
  private final PrimaryClient client;
  private final NotifyScheduler clock;
  private final SerialLane lane;
  /** Runs the digests of new versions beside the lane (the executor the lane runs on). */
  private final Executor background;
  /** The newest version whose digest is still to be computed; taken by the digest task. */
  private final AtomicReference<ZoneSnapshot> undigested = new AtomicReference<>();
  /** How long the last digest took (its task's wall time) and when it ended; see {@link #planDigest}. */
  private volatile Digested lastDigest = new Digested(Duration.ZERO, Instant.EPOCH);

  private record Digested(Duration took, Instant ended) {}
  private final EventTable events;
  private final Collection<ZoneCommitListener> listeners;
  private final DoubleSupplier random;
  private final ZoneSyncMetrics metrics;

  // Lane-confined state.
  private final Map<SecondaryZoneConfig.Primary, SecondaryZone.PrimaryStatus> primaries = new LinkedHashMap<>();
  private SecondaryZone.State phase;
  private Instant lastRefresh;
  private SecondaryZone.TransferRecord lastTransfer;
  private String lastError;
  private String digest;
  /** When the oldest version not digested yet began serving, while its digest waits (see DIGEST). */
  private Instant undigestedSince;
  private SecondaryZone.AuditResult audit;

  private volatile Instant expiresAt;
  private volatile boolean expired;
  private volatile boolean closed;
  private volatile SecondaryZone state;
  /** The newest serial a NOTIFY announced since the last NOTIFY event ran, with its sender. */
  private final AtomicReference<Announced> announced = new AtomicReference<>();

  /**
   * @param store the zone's journal, already opened (its version, if any, already published)
   * @param registry where versions are published and an expired zone removed
   * @param client the primaries' transport
   * @param clock time and timers
   * @param executor runs the zone's work (wrapped in a serial lane); {@code Runnable::run} in tests
   * @param listeners told of every applied change (downstream NOTIFY)
   * @param random uniform in [0, 1), for jitter
   * @param metrics meters
   */
  ZoneFollower(
      SecondaryZoneConfig config,
      SecondaryJournal store,
      ZoneRegistry registry,
      PrimaryClient client,
      NotifyScheduler clock,
      Executor executor,
      Collection<ZoneCommitListener> listeners,
      DoubleSupplier random,
      ZoneSyncMetrics metrics) {
    this.config = Objects.requireNonNull(config, "config");
    this.zone = config.zone();
    this.store = Objects.requireNonNull(store, "store");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.client = Objects.requireNonNull(client, "client");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lane = new SerialLane(executor);
    this.background = executor;
    this.listeners = Objects.requireNonNull(listeners, "listeners");
    this.random = Objects.requireNonNull(random, "random");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    for (SecondaryZoneConfig.Primary p : config.primaries()) {
      primaries.put(p, new SecondaryZone.PrimaryStatus(p, -1, null, null));
    }
    this.events =
        new EventTable(zone.toString(), clock, lane)
            .on(ZoneEvent.REFRESH, this::refresh)
            .on(ZoneEvent.RETRY, this::refresh)
            .on(ZoneEvent.NOTIFY, this::notified)
            .on(ZoneEvent.EXPIRE, this::expire)
            .on(ZoneEvent.FLUSH, () -> background.execute(this::compactBeside))
            .on(ZoneEvent.AUDIT, this::audit)
            .on(ZoneEvent.DIGEST, this::digestNow);
    ZoneSnapshot cur = store.current();
    this.phase = cur == null ? SecondaryZone.State.LOADING : SecondaryZone.State.SERVING;
    publishState();
  }

  /**
   * Starts the timers: a refresh at once; with a journaled version, EXPIRE after SOA EXPIRE from
   * now (the time of the last refresh before a restart is not kept).
   */
  public void start() {
    lane.execute(
        () -> {
          ZoneSnapshot cur = store.current();
          if (cur != null) {
            digestLater(cur);
            planExpire(SoaTimers.expire(cur.soa(), -1, config));
          }
          events.plan(ZoneEvent.REFRESH, clock.now());
          if (config.auditInterval() != null) {
            events.planIn(ZoneEvent.AUDIT, config.auditInterval());
          }
          publishState();
        });
  }

  /** The zone. */
  public Name zone() {
    return zone;
  }

  /** Its configuration. */
  public SecondaryZoneConfig config() {
    return config;
  }

  /** The journal, which is also the IXFR history served downstream. */
  public SecondaryJournal store() {
    return store;
  }

  /** Where the zone stands now. */
  public SecondaryZone state() {
    return state;
  }

  /** True while the zone is expired: queries for it get SERVFAIL. */
  public boolean expired() {
    return expired;
  }

  /**
   * Seconds until the zone expires here, for EDNS EXPIRE answers (RFC 7314 §4), or -1 when no
   * version is held.
   */
  public long expireSeconds() {
    Instant at = expiresAt;
    if (at == null || store.current() == null) {
      return -1;
    }
    return Math.max(0, Duration.between(clock.now(), at).getSeconds());
  }

  /**
   * A NOTIFY for this zone was accepted: check the primaries now (RFC 1996 §4.7).
   *
   * @param serial the serial the NOTIFY announced, or -1 when it carried none
   */
  public void notifyReceived(long serial, InetSocketAddress from) {
    log.info("zone={} serial={} NOTIFY from {} announces serial {}", zone, serialOf(store.current()), from, serial < 0 ? "?" : serial);
    if (closed) {
      return;
    }
    if (serial >= 0 && from != null) {
      Announced a = new Announced(serial, from);
      announced.accumulateAndGet(a, (old, now) -> old == null || Serial.isNewer(now.serial(), old.serial()) ? now : old);
    }
    events.plan(ZoneEvent.NOTIFY, clock.now());
  }

  /** Plans a refresh now (the admin API's "retransfer"/"refresh"). */
  public void refreshNow() {
    events.plan(ZoneEvent.REFRESH, clock.now());
  }

  /** Plans a ZONEMD audit now. */
  public void auditNow() {
    events.plan(ZoneEvent.AUDIT, clock.now());
  }

  /** When an event is planned (for tests and the state). */
  public java.util.Optional<Instant> planned(ZoneEvent event) {
    return events.when(event);
  }

  @Override
  public void close() {
    closed = true;
    events.close();
    store.close();
  }

  // ---- REFRESH, RETRY, NOTIFY ----

  /**
   * A NOTIFY that announced a serial newer than ours, from one of the zone's primaries: ask that
   * primary for the IXFR at once instead of its SOA first. RFC 1996 §4.7 has the secondary query
   * the SOA; an IXFR query answers the same question (its answer is the primary's SOA alone when we
   * are current, RFC 1995 §2) and saves one round trip per hop. Anything but a good transfer falls
   * back to the full refresh of every primary.
   */
  private void notified() {
    Announced a = announced.getAndSet(null);
    ZoneSnapshot cur = store.current();
    SecondaryZoneConfig.Primary primary = a == null || cur == null ? null : primaryAt(a.from());
    if (closed || primary == null || !Serial.isNewer(a.serial(), cur.serial())) {
      refresh();
      return;
    }
    phase = SecondaryZone.State.REFRESHING;
    publishState();
    if (transfer(primary, TransferKind.IXFR) == null) {
      ZoneSnapshot now = store.current();
      SecondaryZone.PrimaryStatus old = primaries.get(primary);
      primaries.put(primary, new SecondaryZone.PrimaryStatus(primary, now.serial(), clock.now(), old.lastError()));
      succeeded(new PrimaryProbe(primary, new SoaOutcome.Answer(now.soa(), -1)));
      return;
    }
    refresh();
  }

  /** The configured primary at {@code from}'s address (any port), or null. */
  private SecondaryZoneConfig.Primary primaryAt(InetSocketAddress from) {
    for (SecondaryZoneConfig.Primary p : config.primaries()) {
      if (p.address().getAddress().equals(from.getAddress())) {
        return p;
      }
    }
    return null;
  }

  /** A serial announced by a NOTIFY, and who sent it. */
  private record Announced(long serial, InetSocketAddress from) {}

  private void refresh() {
    if (closed) {
      return;
    }
    phase = SecondaryZone.State.REFRESHING;
    publishState();
    List<PrimaryProbe> order = order(probeAll());
    String reason = "no primary answered";
    for (int i = 0; i < order.size(); i++) {
      PrimaryProbe p = order.get(i);
      TransferPlan.Attempt last = null;
      while (true) {
        ZoneSnapshot cur = store.current();
        OptionalLong ours = cur == null ? OptionalLong.empty() : OptionalLong.of(cur.serial());
        TransferPlan.Decision d = TransferPlan.decide(ours, p.outcome(), last, i < order.size() - 1);
        log.debug("zone={} serial={} primary {}: {} ({})", zone, serialOf(cur), p.primary(), d.step(), d.reason());
        switch (d.step()) {
          case UP_TO_DATE:
            succeeded(p);
            return;
          case IXFR:
          case AXFR:
            TransferKind kind = d.step() == TransferPlan.Step.IXFR ? TransferKind.IXFR : TransferKind.AXFR;
            if (kind == TransferKind.AXFR && last != null) {
              log.info("zone={} serial={} {}", zone, serialOf(cur), d.reason());
            }
            last = transfer(p.primary(), kind);
            if (last == null) {
              succeeded(p);
              return;
            }
            continue;
          case NEXT_PRIMARY:
            log.info("zone={} serial={} primary {}: {}", zone, serialOf(cur), p.primary(), d.reason());
            reason = d.reason();
            break;
          case RETRY_LATER:
          default:
            failed(p.primary() + ": " + d.reason());
            return;
        }
        break;
      }
    }
    failed(reason);
  }

  private List<PrimaryProbe> probeAll() {
    List<PrimaryProbe> probes = new ArrayList<>(config.primaries().size());
    for (SecondaryZoneConfig.Primary p : config.primaries()) {
      SoaOutcome o;
      try {
        o = client.soa(zone, p);
      } catch (RuntimeException e) {
        o = new SoaOutcome.Failed(TransferFailure.CONNECTION, e.toString());
      }
      SecondaryZone.PrimaryStatus old = primaries.get(p);
      if (o instanceof SoaOutcome.Answer a) {
        primaries.put(p, new SecondaryZone.PrimaryStatus(p, a.serial(), clock.now(), null));
      } else {
        SoaOutcome.Failed f = (SoaOutcome.Failed) o;
        primaries.put(p, new SecondaryZone.PrimaryStatus(p, old.lastSerial(), old.lastAnswer(), "SOA: " + f.failure() + " " + f.detail()));
      }
      probes.add(new PrimaryProbe(p, o));
    }
    return probes;
  }

  /** Primaries that answered, newest serial first (ties in configured order), then the others. */
  private static List<PrimaryProbe> order(List<PrimaryProbe> probes) {
    List<PrimaryProbe> answered = new ArrayList<>();
    List<PrimaryProbe> failed = new ArrayList<>();
    for (PrimaryProbe p : probes) {
      if (p.outcome() instanceof SoaOutcome.Answer a) {
        int at = answered.size();
        // Stable insertion: RFC 1982 order is not transitive, so no Comparator-based sort.
        while (at > 0 && Serial.compare(a.serial(), ((SoaOutcome.Answer) answered.get(at - 1).outcome()).serial()) == SerialComparison.GREATER) {
          at--;
        }
        answered.add(at, p);
      } else {
        failed.add(p);
      }
    }
    answered.addAll(failed);
    return answered;
  }

  /**
   * One transfer from one primary, applied when good.
   *
   * @return null when a new version was applied, else what happened, for {@link TransferPlan}
   */
  private TransferPlan.Attempt transfer(SecondaryZoneConfig.Primary primary, TransferKind kind) {
    Instant started = clock.now();
    long startNanos = System.nanoTime();
    ZoneSnapshot cur = store.current();
    PrimaryClient.XfrResult result;
    try {
      result = kind == TransferKind.IXFR ? client.ixfr(zone, primary, cur.soa()) : client.axfr(zone, primary);
    } catch (RuntimeException e) {
      result = new PrimaryClient.Failed(TransferFailure.CONNECTION, e.toString());
    }
    if (result instanceof PrimaryClient.Current) {
      return TransferPlan.Attempt.current(kind);
    }
    if (result instanceof PrimaryClient.Failed f) {
      return failedTransfer(primary, kind, f.failure(), f.detail());
    }
    long receivedNanos = System.nanoTime();
    ZoneSnapshot candidate;
    List<ZoneDiff> diffs = null;
    TransferKind got = kind;
    try {
      if (result instanceof PrimaryClient.Incremental inc) {
        diffs = inc.diffs();
        candidate = Diffs.applyAll(cur, diffs);
      } else {
        got = TransferKind.AXFR; // an IXFR may be answered AXFR-style (RFC 1995 §4)
        candidate = ZoneSnapshot.of(zone, ((PrimaryClient.Full) result).records());
      }
    } catch (Diffs.MismatchException e) {
      return failedTransfer(primary, kind, TransferFailure.DIFF_MISMATCH, e.getMessage());
    } catch (ZoneException e) {
      return failedTransfer(primary, kind, TransferFailure.INVALID_ZONE, e.getMessage());
    }
    long builtNanos = System.nanoTime();
    if (cur != null && diffs == null && Diffs.sameContent(candidate, cur)) {
      return TransferPlan.Attempt.current(kind);
    }
    if (cur != null) {
      SerialComparison c = Serial.compare(candidate.serial(), cur.serial());
      if (c == SerialComparison.LESS || c == SerialComparison.EQUAL) {
        return failedTransfer(primary, kind, TransferFailure.SERIAL_BACKWARDS, "received serial " + candidate.serial() + ", ours is " + cur.serial());
      }
    }
    if (config.verifyZonemd() && Zonemd.verify(candidate) == Zonemd.Verification.MISMATCH) {
      return failedTransfer(primary, kind, TransferFailure.INVALID_ZONE, "ZONEMD does not match the zone at serial " + candidate.serial());
    }
    long checkedNanos = System.nanoTime();
    ZoneDiff diff;
    try {
      diff = diffs != null ? store.applyIncremental(diffs, candidate) : store.replace(candidate);
    } catch (RuntimeException e) {
      log.error("zone={} serial={} cannot journal serial {}: {}", zone, serialOf(cur), candidate.serial(), e.toString(), e);
      return failedTransfer(primary, kind, TransferFailure.LOCAL_ERROR, e.getMessage());
    }
    long journaledNanos = System.nanoTime();
    Duration took = Duration.ofNanos(journaledNanos - startNanos);
    lastTransfer = new SecondaryZone.TransferRecord(got, primary, serialOf(cur), candidate.serial(), started, took);
    metrics.transfer(zone, got, true, took);
    log.info(
        "zone={} serial={} {} from {} applied: serial {} -> {}, {} records, {} ms (transfer {} ms, build {} ms, checks {} ms, journal and publish {} ms)",
        zone, candidate.serial(), got, primary, serialOf(cur), candidate.serial(), candidate.size(), took.toMillis(),
        millis(startNanos, receivedNanos), millis(receivedNanos, builtNanos), millis(builtNanos, checkedNanos), millis(checkedNanos, journaledNanos));
    installed(candidate, diff);
    return null;
  }

  private TransferPlan.Attempt failedTransfer(SecondaryZoneConfig.Primary primary, TransferKind kind, TransferFailure failure, String detail) {
    log.warn("zone={} serial={} {} from {} failed: {} {}", zone, serialOf(store.current()), kind, primary, failure, detail);
    SecondaryZone.PrimaryStatus s = primaries.get(primary);
    primaries.put(primary, new SecondaryZone.PrimaryStatus(primary, s.lastSerial(), s.lastAnswer(), kind + ": " + failure + " " + detail));
    metrics.transfer(zone, kind, false, null);
    return TransferPlan.Attempt.failed(kind, failure);
  }

  /**
   * After a new version is serving: listeners (the downstream NOTIFY) first, then the fsync of
   * the journal (after a whole version: the writing of its snapshot), neither on the path of the
   * change; the digest (a hash of the whole zone) is computed beside the lane, off the path of the
   * next change too.
   */
  private void installed(ZoneSnapshot version, ZoneDiff diff) {
    digest = null; // the state never pairs the new serial with the old version's digest
    publishState();
    for (ZoneCommitListener l : listeners) {
      try {
        l.committed(version, diff);
      } catch (RuntimeException e) {
        log.warn("zone={} serial={} listener {} failed: {}", zone, version.serial(), l, e.toString(), e);
      }
    }
    try {
      store.sync();
    } catch (RuntimeException e) {
      log.error("zone={} serial={} journal cannot be written: {}", zone, version.serial(), e.toString(), e);
    }
    planDigest();
    events.plan(ZoneEvent.FLUSH, clock.now());
  }

  /** A digest that took at least this long waits for changes to pause ({@link #planDigest}). */
  static final Duration DIGEST_AT_ONCE = Duration.ofMillis(50);

  /**
   * Plans the digest of the version now serving. A quick one (a zone of up to some ten thousand
   * records) is computed at once. One that took a time T last time waits until no change came for
   * T, and until 10 T after the last digest ended (digests take at most a tenth of the time), but
   * no longer than 20 T after the first version it skipped. A stream of IXFRs to a
   * million-record zone (a digest of about a second) otherwise kept the only core hashing every
   * version, and each change waited behind that hashing: 160 ms each instead of a few.
   */
  private void planDigest() {
    Digested last = lastDigest;
    Duration took = last.took();
    if (took.compareTo(DIGEST_AT_ONCE) < 0) {
      digestNow();
      return;
    }
    Instant now = clock.now();
    if (undigestedSince == null) {
      undigestedSince = now;
    }
    Instant at = later(now.plus(took), last.ended().plus(took.multipliedBy(10)));
    Instant latest = undigestedSince.plus(took.multipliedBy(20));
    events.plan(ZoneEvent.DIGEST, at.isBefore(latest) ? at : latest);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** The DIGEST event, and a quick digest: the serving version's, beside the lane. */
  private void digestNow() {
    undigestedSince = null;
    events.cancel(ZoneEvent.DIGEST);
    ZoneSnapshot cur = store.current();
    if (cur != null) {
      digestLater(cur);
    }
  }

  /** For tests: as if the last digest had taken {@code took} and ended now. */
  void lastDigestTook(Duration took) {
    lastDigest = new Digested(took, clock.now());
  }

  /**
   * Compacts the journal when it outgrew its limits, beside the lane: writing the snapshot of a
   * million records takes 0.3-0.7 s, which held up the next NOTIFY's transfer. The snapshot is
   * written without the journal's lock, so the lane's appends go on meanwhile ({@link
   * SecondaryJournal#compactIfNeeded}).
   */
  private void compactBeside() {
    if (closed) {
      return;
    }
    try {
      store.compactIfNeeded();
    } catch (RuntimeException e) {
      log.warn("zone={} journal compaction failed: {}", zone, e.toString());
    }
  }

  /**
   * Computes the version's ZONEMD digest beside the lane and puts it in the state if the version is
   * still the one held. Hashing every record takes about a second for a million records; on the
   * lane it held up the next NOTIFY by that much after every IXFR. When versions come faster than
   * their digests, only the newest is computed.
   */
  private void digestLater(ZoneSnapshot version) {
    undigested.set(version);
    background.execute(() -> {
      ZoneSnapshot v = undigested.getAndSet(null);
      if (v == null) {
        return; // a task before this one took the newest version
      }
      String d;
      long started = System.nanoTime();
      try {
        d = Zonemd.sha384Hex(zone, v.records());
      } catch (RuntimeException e) {
        log.warn("zone={} serial={} digest failed: {}", zone, v.serial(), e.toString());
        return;
      }
      lastDigest = new Digested(Duration.ofNanos(System.nanoTime() - started), clock.now());
      lane.execute(() -> {
        if (store.current() == v) {
          digest = d;
          publishState();
        }
      });
    });
  }

  private void succeeded(PrimaryProbe p) {
    ZoneSnapshot cur = store.current();
    Instant now = clock.now();
    lastRefresh = now;
    lastError = null;
    long edns = p.outcome() instanceof SoaOutcome.Answer a ? a.ednsExpire() : -1;
    planExpire(SoaTimers.expire(cur.soa(), edns, config));
    if (expired) {
      expired = false;
      store.republish();
      log.info("zone={} serial={} refreshed from {}: serving again", zone, cur.serial(), p.primary());
    }
    events.cancel(ZoneEvent.RETRY);
    events.planIn(ZoneEvent.REFRESH, SoaTimers.refresh(cur.soa(), config, random.getAsDouble()));
    phase = SecondaryZone.State.SERVING;
    publishState();
  }

  private void failed(String reason) {
    ZoneSnapshot cur = store.current();
    lastError = reason;
    metrics.refreshFailed(zone);
    Duration retry = SoaTimers.retry(cur == null ? null : cur.soa(), config, random.getAsDouble());
    log.warn("zone={} serial={} refresh failed: {}; retry in {} s", zone, serialOf(cur), reason, retry.toSeconds());
    events.cancel(ZoneEvent.REFRESH);
    events.planIn(ZoneEvent.RETRY, retry);
    phase = expired ? SecondaryZone.State.EXPIRED : cur == null ? SecondaryZone.State.LOADING : SecondaryZone.State.SERVING;
    publishState();
  }

  private void planExpire(Duration in) {
    Instant at = clock.now().plus(in);
    expiresAt = at;
    events.plan(ZoneEvent.EXPIRE, at);
  }

  // ---- EXPIRE ----

  private void expire() {
    ZoneSnapshot cur = store.current();
    if (cur == null || expired) {
      return;
    }
    expired = true;
    registry.remove(zone);
    phase = SecondaryZone.State.EXPIRED;
    lastError = "expired: no primary answered since " + lastRefresh;
    metrics.expired(zone);
    log.warn("zone={} serial={} expired: no primary answered for SOA EXPIRE; answering SERVFAIL", zone, cur.serial());
    publishState();
  }

  // ---- AUDIT ----

  private void audit() {
    try {
      ZoneSnapshot cur = store.current();
      if (cur != null && !expired) {
        audit = ZonemdAudit.run(zone, cur, digest, probeAll(), client, clock.now(), this::repair);
        metrics.audit(zone, audit.outcome());
        if (audit.outcome() == SecondaryZone.AuditResult.Outcome.MATCH) {
          log.info("zone={} serial={} ZONEMD audit: match ({})", zone, cur.serial(), audit.detail());
        } else {
          log.warn("zone={} serial={} ZONEMD audit: {} ({})", zone, cur.serial(), audit.outcome(), audit.detail());
        }
        publishState();
      }
    } finally {
      if (config.auditInterval() != null && !closed) {
        events.planIn(ZoneEvent.AUDIT, config.auditInterval());
      }
    }
  }

  /** Installs the primary's version at our serial after an audit found divergence. */
  private boolean repair(ZoneSnapshot theirs) {
    ZoneSnapshot cur = store.current();
    try {
      ZoneDiff diff = store.replace(theirs);
      lastTransfer = new SecondaryZone.TransferRecord(TransferKind.AXFR, null, serialOf(cur), theirs.serial(), clock.now(), Duration.ZERO);
      installed(theirs, diff);
      return true;
    } catch (RuntimeException e) {
      log.error("zone={} serial={} audit repair failed: {}", zone, serialOf(cur), e.toString(), e);
      return false;
    }
  }

  // ---- state ----

  private void publishState() {
    ZoneSnapshot cur = store.current();
    Instant next = earliest(events.when(ZoneEvent.REFRESH).orElse(null), events.when(ZoneEvent.RETRY).orElse(null));
    state =
        new SecondaryZone(
            zone, serialOf(cur), phase, List.copyOf(primaries.values()), lastRefresh, next,
            cur == null ? null : expiresAt, lastTransfer, lastError, digest, audit);
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
  }

  private static long millis(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1_000_000;
  }

  private static long serialOf(ZoneSnapshot s) {
    return s == null ? -1 : s.serial();
  }
}
