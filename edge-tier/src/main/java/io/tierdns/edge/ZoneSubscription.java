package io.tierdns.edge;

import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.serial.Serial;
import io.tierdns.cache.Ticker;
import io.tierdns.cache.Timers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;

/**
 * A cache's subscription to one zone: NOTIFY in, SOA query, IXFR from the last serial seen, exact
 * eviction, NOTIFY out (RFC 1996, RFC 1995). Push invalidation in standard DNS.
 *
 * <p>Design note. A NOTIFY only marks the zone as pending ({@link #notified}); one refresh at a
 * time runs, and a NOTIFY that arrives during a refresh makes it run once more, so a burst of
 * changes costs at most two refreshes. A refresh:
 *
 * <ol>
 *   <li>asks the upstream that sent the NOTIFY (else the first configured) for its SOA;
 *   <li>no serial known yet (the first refresh, {@link #start}): flush the zone once and record
 *       the serial. Entries cached before the baseline could be of any version, so flushing is the
 *       only safe start (at start-up the cache is empty and this costs nothing);
 *   <li>serial not newer (RFC 1982): nothing, except that a NOTIFY from an upstream at exactly our
 *       serial re-applies the last eviction plan and is passed on below (see below);
 *   <li>otherwise IXFR from our serial: differences give an {@link EvictionPlan}, applied at once
 *       and again {@code recheck} later (an upstream query sent just before the change can
 *       still store the old data after the first pass); the full zone, or a failure, flushes the
 *       zone (a change was announced, we cannot say which, so nothing of the zone may be served).
 *       Flushed entries include stale ones: serve-stale never serves what a change removed;
 *   <li>records the new SOA in the {@link RelayHistory} (differences appended, a gap resets it),
 *       then NOTIFYs the subscribers below.
 * </ol>
 *
 * <p>Several upstreams (two secondaries) apply a change at slightly different times, and the
 * cache forwards its misses to any of them. Between our first eviction pass and the moment the
 * slowest upstream applies the change, a miss can fetch the old data from that upstream again
 * and cache it (for its full TTL, or until the second pass). Each upstream NOTIFYs us once it has
 * applied the change, so a NOTIFY whose upstream answers our own serial means "one more upstream
 * caught up": we evict the last change's RRsets again and pass the NOTIFY on, so the tiers below
 * do the same. This bounds the stale window by the slowest upstream's apply time instead of
 * {@code recheck}, which stays as the backstop for an upstream that does not NOTIFY.
 *
 * {@code edge.propagation} is measured from the receipt of the first NOTIFY a refresh serves to
 * the end of its first eviction pass.
 */
public final class ZoneSubscription {

  private static final Logger log = LoggerFactory.getLogger(ZoneSubscription.class);

  /** Default delay of the second eviction pass. */
  public static final Duration DEFAULT_RECHECK = Duration.ofSeconds(2);

  private final SubscriptionConfig config;
  private final CacheEvictor evictor;
  private final ZoneFetcher fetcher;
  private final DownstreamNotifier downstream;
  private final EdgeMetrics metrics;
  private final Ticker ticker;
  private final Timers timers;
  private final Executor executor;
  private final Duration recheck;
  private final RelayHistory history;

  // guarded by this
  private SOARecord soa;
  private boolean running;
  private boolean pending;
  private long pendingSince = -1;
  private InetSocketAddress notifiedBy;
  private long announced = -1; // the newest serial the pending NOTIFYs announced, -1 for none
  private CompletableFuture<RefreshOutcome> idle = CompletableFuture.completedFuture(null);
  private RefreshOutcome last;
  private EvictionPlan lastPlan; // of the change that led to soa, or null after a flush

  public ZoneSubscription(
      SubscriptionConfig config,
      CacheEvictor evictor,
      ZoneFetcher fetcher,
      DownstreamNotifier downstream,
      RelayHistory history,
      EdgeMetrics metrics,
      Ticker ticker,
      Timers timers,
      Executor executor,
      Duration recheck) {
    this.config = Objects.requireNonNull(config, "config");
    this.evictor = Objects.requireNonNull(evictor, "evictor");
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.downstream = Objects.requireNonNull(downstream, "downstream");
    this.history = Objects.requireNonNull(history, "history");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.timers = Objects.requireNonNull(timers, "timers");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.recheck = Objects.requireNonNull(recheck, "recheck");
  }

  public SubscriptionConfig config() {
    return config;
  }

  public Name zone() {
    return config.zone();
  }

  /** The relayed differences, for the subscribers below. */
  public RelayHistory history() {
    return history;
  }

  /** The newest SOA seen. */
  public synchronized Optional<SOARecord> soa() {
    return Optional.ofNullable(soa);
  }

  /** The newest serial seen, if any. */
  public synchronized OptionalLong serial() {
    return soa == null ? OptionalLong.empty() : OptionalLong.of(soa.getSerial());
  }

  /** The outcome of the last refresh, if any. */
  public synchronized Optional<RefreshOutcome> lastOutcome() {
    return Optional.ofNullable(last);
  }

  /** Whether a NOTIFY from {@code address} is accepted (it is one of the upstreams). */
  public boolean acceptsNotifyFrom(InetAddress address) {
    return address != null && config.isUpstream(address);
  }

  /** Takes the baseline serial (see the class note); completes when it is known or failed. */
  public CompletionStage<RefreshOutcome> start() {
    return notified(null);
  }

  /**
   * A NOTIFY arrived from {@code from} (already checked with {@link #acceptsNotifyFrom}), or
   * {@code null} for a refresh not caused by one: schedules a refresh.
   *
   * @return completes when the refresh that serves this NOTIFY is done
   */
  public CompletionStage<RefreshOutcome> notified(InetSocketAddress from) {
    return notified(from, -1);
  }

  /**
   * As {@link #notified(InetSocketAddress)}, with the serial the NOTIFY announced in its answer
   * section (RFC 1996 §3.7), or -1. A known serial saves the SOA query: newer than ours, the IXFR
   * is asked at once (its answer is the SOA alone if the upstream is not there yet); equal to ours,
   * the upstream has caught up.
   */
  public CompletionStage<RefreshOutcome> notified(InetSocketAddress from, long serial) {
    long now = ticker.read();
    if (from != null) {
      metrics.notifyReceived(zone());
    }
    CompletableFuture<RefreshOutcome> done;
    synchronized (this) {
      pending = true;
      notifiedBy = from != null ? from : notifiedBy;
      if (from != null && serial >= 0 && (announced < 0 || Serial.isNewer(serial, announced))) {
        announced = serial;
      }
      if (pendingSince < 0 && from != null) {
        pendingSince = now;
      }
      if (running) {
        return idle;
      }
      running = true;
      idle = new CompletableFuture<>();
      done = idle;
    }
    executor.execute(this::drain);
    return done;
  }

  private void drain() {
    long since;
    long serial;
    InetSocketAddress upstream;
    synchronized (this) {
      if (!pending) {
        running = false;
        idle.complete(last);
        return;
      }
      pending = false;
      since = pendingSince;
      pendingSince = -1;
      serial = announced;
      announced = -1;
      upstream = pick(notifiedBy);
    }
    CompletionStage<RefreshOutcome> step;
    try {
      step = refresh(upstream, since, serial);
    } catch (RuntimeException e) {
      step = CompletableFuture.failedFuture(e);
    }
    step.whenComplete(
        (outcome, failure) -> {
          if (failure != null) {
            log.warn("zone={} refresh failed unexpectedly: {}", zone(), failure.toString());
          }
          synchronized (this) {
            if (outcome != null) {
              last = outcome;
            }
            if (!pending) {
              running = false;
              idle.complete(last);
              return;
            }
          }
          executor.execute(this::drain);
        });
  }

  private InetSocketAddress pick(InetSocketAddress from) {
    if (from != null) {
      for (InetSocketAddress u : config.upstreams()) {
        if (u.getAddress().equals(from.getAddress())) {
          return u;
        }
      }
    }
    return config.upstreams().get(0);
  }

  private CompletionStage<RefreshOutcome> refresh(InetSocketAddress upstream, long since, long announcedSerial) {
    SOARecord before = soa().orElse(null);
    if (before != null && since >= 0 && announcedSerial >= 0) {
      if (announcedSerial == before.getSerial()) {
        return done(caughtUp(upstream, before));
      }
      if (Serial.isNewer(announcedSerial, before.getSerial())) {
        return fetcher
            .ixfr(upstream, zone(), before)
            .handle((r, failure) -> applyTransfer(upstream, before, null, r, failure, since));
      }
    }
    return fetcher
        .soa(upstream, zone())
        .thenCompose(
            remote -> {
              if (before == null) {
                return done(adopt(RefreshOutcome.BASELINE, null, remote, evictor.flushZone(zone()), since));
              }
              if (since >= 0 && remote.getSerial() == before.getSerial()) {
                return done(caughtUp(upstream, before));
              }
              if (!Serial.isNewer(remote.getSerial(), before.getSerial())) {
                metrics.ixfr(zone(), RefreshOutcome.UP_TO_DATE);
                return done(new RefreshOutcome(RefreshOutcome.UP_TO_DATE, before.getSerial(), before.getSerial(), Evictions.NONE));
              }
              return fetcher
                  .ixfr(upstream, zone(), before)
                  .handle((r, failure) -> applyTransfer(upstream, before, remote, r, failure, since));
            })
        .exceptionally(
            failure -> {
              if (before == null) {
                // no baseline yet: an upstream still loading the zone (as under `up`) answers
                // REFUSED or SERVFAIL; its NOTIFY when it has the zone takes the baseline
                log.info("zone={} no baseline yet: SOA query to {} failed ({}); waiting for its NOTIFY", zone(), upstream, failure.toString());
              } else {
                // the SOA query failed: the NOTIFY announced a change we cannot see
                log.warn("zone={} SOA query to {} failed, flushing the zone: {}", zone(), upstream, failure.toString());
              }
              return forget(before, since);
            });
  }

  /** Flushes the zone and forgets its serial: the next NOTIFY or refresh takes a new baseline. */
  private RefreshOutcome forget(SOARecord before, long since) {
    Evictions e = evictor.flushZone(zone());
    synchronized (this) {
      soa = null;
      lastPlan = null;
    }
    record(since, e);
    metrics.ixfr(zone(), RefreshOutcome.FAILED);
    return new RefreshOutcome(RefreshOutcome.FAILED, before == null ? -1 : before.getSerial(), -1, e);
  }

  private RefreshOutcome applyTransfer(
      InetSocketAddress upstream, SOARecord before, SOARecord remote,
      ZoneFetcher.IxfrResult r, Throwable failure, long since) {
    if (failure != null) {
      log.warn("zone={} serial={} IXFR from {} failed, flushing the zone: {}", zone(), before.getSerial(), upstream, failure.toString());
      if (remote == null) {
        return forget(before, since); // asked without an SOA query: the upstream's serial is not known
      }
      return adopt(RefreshOutcome.FAILED, before, remote, evictor.flushZone(zone()), since);
    }
    if (r instanceof ZoneFetcher.IxfrResult.UpToDate u) {
      metrics.ixfr(zone(), RefreshOutcome.UP_TO_DATE);
      return new RefreshOutcome(RefreshOutcome.UP_TO_DATE, before.getSerial(), before.getSerial(), Evictions.NONE);
    }
    if (r instanceof ZoneFetcher.IxfrResult.Full f) {
      log.info("zone={} serial={} upstream {} sent the whole zone, flushing it", zone(), f.soa().getSerial(), upstream);
      return adopt(RefreshOutcome.FULL, before, f.soa(), evictor.flushZone(zone()), since);
    }
    List<ZoneDiff> diffs = ((ZoneFetcher.IxfrResult.Incremental) r).diffs();
    EvictionPlan plan = EvictionPlan.of(zone(), diffs);
    Evictions e = evictor.apply(plan);
    record(since, e);
    SOARecord after = diffs.get(diffs.size() - 1).toSoa();
    synchronized (this) {
      soa = after;
      lastPlan = plan;
    }
    history.append(diffs);
    metrics.ixfr(zone(), RefreshOutcome.INCREMENTAL);
    log.info("zone={} serial={} IXFR from serial {}: {} differences, evicted {}",
        zone(), after.getSerial(), before.getSerial(), diffs.size(), e);
    if (!recheck.isZero()) {
      timers.schedule(recheck, () -> metrics.evicted(zone(), evictor.apply(plan)));
    }
    downstream.changed(zone(), after);
    return new RefreshOutcome(RefreshOutcome.INCREMENTAL, before.getSerial(), after.getSerial(), e);
  }

  /**
   * A NOTIFY from an upstream that is at our serial: it may have served the old data until it
   * applied the change, so evict the change's RRsets again and tell the tiers below (class note).
   */
  private RefreshOutcome caughtUp(InetSocketAddress upstream, SOARecord current) {
    EvictionPlan plan;
    synchronized (this) {
      plan = soa == current ? lastPlan : null;
    }
    metrics.ixfr(zone(), RefreshOutcome.UP_TO_DATE);
    if (plan == null) {
      return new RefreshOutcome(RefreshOutcome.UP_TO_DATE, current.getSerial(), current.getSerial(), Evictions.NONE);
    }
    Evictions e = evictor.apply(plan);
    metrics.evicted(zone(), e);
    log.debug("zone={} serial={} upstream {} caught up: evicted {} again", zone(), current.getSerial(), upstream, e);
    downstream.changed(zone(), current);
    return new RefreshOutcome(RefreshOutcome.UP_TO_DATE, current.getSerial(), current.getSerial(), e);
  }

  /** Takes {@code now} as the zone's version after a flush (baseline, full, failed). */
  private RefreshOutcome adopt(String result, SOARecord before, SOARecord now, Evictions e, long since) {
    if (before != null) {
      record(since, e);
    } else {
      metrics.evicted(zone(), e);
    }
    synchronized (this) {
      soa = now;
      lastPlan = null;
    }
    history.reset(now);
    metrics.ixfr(zone(), result);
    log.info("zone={} serial={} {}: flushed {} entries", zone(), now.getSerial(), result, e.total());
    if (before != null) {
      downstream.changed(zone(), now);
    }
    return new RefreshOutcome(result, before == null ? -1 : before.getSerial(), now.getSerial(), e);
  }

  private void record(long since, Evictions e) {
    metrics.evicted(zone(), e);
    if (since >= 0) {
      metrics.propagation(zone(), Duration.ofNanos(Math.max(0, ticker.read() - since)));
    }
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
