package io.tierdns.node.report;

import io.tierdns.authoritative.serial.Serial;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Records every change of a zone at the primary and, per node, when it first served it: the
 * measured half of the propagation report, next to the {@link PropagationEstimator}'s estimate
 * made at commit time. Pure: time comes from an injected {@link Clock}; the caller feeds
 * observations ({@link #observe}) from wherever it learns them.
 *
 * <p>Design note. A change is propagated to a secondary when it answers SOA with serial ≥ S (RFC
 * 1982 §3.2) and to a subscribed cache when its subscription serial is ≥ S (the changed RRsets were
 * evicted). One observation of serial T settles every pending change S ≤ T of that node, because
 * serials only move forward and IXFR applies changes in order. An unsubscribed cache is never
 * observed: its old copies expire at the estimated time, so {@link #tick} settles it then with
 * basis {@code ttl-expiry}. Each zone keeps its last {@code historyPerZone} changes; the measured
 * hop of each node feeds the estimator for the next change.
 */
public final class PropagationTracker {

  /** Changes kept per zone. */
  public static final int DEFAULT_HISTORY = 100;

  private final Clock clock;
  private final PropagationEstimator estimator;
  private final int historyPerZone;
  private final Map<String, Deque<Entry>> zones = new HashMap<>();
  private final Map<String, Map<String, Long>> lastSeen = new HashMap<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private volatile PropagationObserver observer = PropagationObserver.NOOP;

  public PropagationTracker(Clock clock, PropagationEstimator estimator, int historyPerZone) {
    if (historyPerZone < 1) {
      throw new IllegalArgumentException("historyPerZone must be at least 1");
    }
    this.clock = clock;
    this.estimator = estimator;
    this.historyPerZone = historyPerZone;
  }

  public PropagationEstimator estimator() {
    return estimator;
  }

  /** Who is told when a change becomes visible at a node ({@link PropagationObserver#NOOP} by default). */
  public void observer(PropagationObserver observer) {
    this.observer = java.util.Objects.requireNonNull(observer, "observer");
  }

  /**
   * Records a change durable at the primary now, with the estimate per node.
   *
   * @param peers every node but the primary that serves or caches the zone
   * @param cached what unsubscribed caches hold of the changed RRsets
   * @param oldTtlMs the longest old TTL of the changed RRsets (for caches without an entry)
   */
  public synchronized Change committed(
      String zone, long serial, List<PeerNode> peers, Map<String, CachedCopies> cached, long oldTtlMs) {
    Map<String, PropagationEstimator.Estimate> estimates = estimator.estimates(peers, cached, oldTtlMs);
    Entry e = new Entry(zone, serial, clock.instant());
    Map<String, Long> seen = lastSeen.getOrDefault(zone, Map.of());
    for (PeerNode p : peers) {
      e.peers.put(p.name(), p);
      PropagationEstimator.Estimate est = estimates.getOrDefault(p.name(), new PropagationEstimator.Estimate(0, 0));
      e.nodes.put(p.name(), new NodeReport(p.name(), p.role(), p.tier(), NodeReport.State.PENDING,
          seen.getOrDefault(p.name(), -1L), null, est.estimateMs(), est.upperBoundMs(), "pending"));
    }
    Deque<Entry> history = zones.computeIfAbsent(zone, z -> new ArrayDeque<>());
    history.addLast(e);
    while (history.size() > historyPerZone) {
      history.removeFirst();
    }
    settle(zone);
    return e.snapshot();
  }

  /**
   * A node was seen serving {@code serial} at {@code at} (its apply time when it reports one, else
   * when it was polled). Settles every pending change of the zone at or below that serial.
   */
  public synchronized void observe(String zone, String node, long serial, Instant at) {
    lastSeen.computeIfAbsent(zone, z -> new HashMap<>()).merge(node, serial,
        (old, now) -> Serial.isNewer(now, old) ? now : old);
    for (Entry e : zones.getOrDefault(zone, new ArrayDeque<>())) {
      NodeReport r = e.nodes.get(node);
      if (r == null) {
        continue;
      }
      if (r.propagated() || !Serial.isAtLeast(serial, e.serial)) {
        e.nodes.put(node, withSerial(r, serial));
        continue;
      }
      // an apply reported before the commit was recorded (clock skew between threads) counts as 0
      long measured = Math.max(0, Duration.between(e.committedAt, at).toMillis());
      e.nodes.put(node, settled(r, serial, measured, "observed"));
      observer.propagated(zone, e.serial, e.nodes.get(node));
      learnHop(e, e.peers.get(node), measured);
    }
    settle(zone);
  }

  /** Drops everything recorded of a zone no longer served. */
  public synchronized void forget(String zone) {
    zones.remove(zone);
    lastSeen.remove(zone);
  }

  /** Settles unsubscribed caches whose old copies have expired by now. */
  public synchronized void tick() {
    List.copyOf(zones.keySet()).forEach(this::settle);
  }

  /** The change with that serial, or the latest when {@code serial} is null. */
  public synchronized Optional<Change> change(String zone, Long serial) {
    settle(zone);
    Deque<Entry> history = zones.get(zone);
    if (history == null || history.isEmpty()) {
      return Optional.empty();
    }
    if (serial == null) {
      return Optional.of(history.getLast().snapshot());
    }
    return history.stream().filter(e -> e.serial == serial).reduce((a, b) -> b).map(Entry::snapshot);
  }

  /** Every change recorded for a zone, oldest first. */
  public synchronized List<Change> changes(String zone) {
    settle(zone);
    return zones.getOrDefault(zone, new ArrayDeque<>()).stream().map(Entry::snapshot).toList();
  }

  /** Whether any recorded change still waits for a node that reports its serial. */
  public synchronized boolean awaitingObservations() {
    return zones.values().stream().flatMap(Deque::stream).anyMatch(e ->
        e.nodes.values().stream().anyMatch(r -> !r.propagated() && e.peers.get(r.node()).subscribed()));
  }

  /**
   * Completes when every node of the scope serves the change, with the change; completes at once
   * when that is already so. Completes exceptionally with IllegalArgumentException when the
   * change is not recorded. The caller bounds the wait ({@code orTimeout}).
   */
  public synchronized CompletableFuture<Change> whenPropagated(String zone, long serial, WaitScope scope) {
    Optional<Change> c = change(zone, serial);
    if (c.isEmpty()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("no change " + zone + " serial " + serial));
    }
    if (c.get().laggards(scope).isEmpty()) {
      return CompletableFuture.completedFuture(c.get());
    }
    Waiter w = new Waiter(zone, serial, scope, new CompletableFuture<>());
    waiters.add(w);
    return w.future;
  }

  private void learnHop(Entry e, PeerNode p, long measured) {
    if (p == null || (p.role() == PeerNode.Role.CACHE && !p.subscribed())) {
      return;
    }
    long upstreamMs = 0;
    if (p.upstream() != null && e.nodes.containsKey(p.upstream())) {
      NodeReport up = e.nodes.get(p.upstream());
      if (up.measuredMs() == null) {
        return; // seen before its upstream was: that hop cannot be measured
      }
      upstreamMs = up.measuredMs();
    }
    long notify = p.role() == PeerNode.Role.SECONDARY ? estimator.notifyDelayMs() : 0;
    estimator.recordHop(p.name(), measured - upstreamMs - notify);
  }

  private void settle(String zone) {
    Instant now = clock.instant();
    for (Entry e : zones.getOrDefault(zone, new ArrayDeque<>())) {
      for (NodeReport r : List.copyOf(e.nodes.values())) {
        PeerNode p = e.peers.get(r.node());
        if (!r.propagated() && !p.subscribed()
            && !now.isBefore(e.committedAt.plusMillis(r.estimateMs()))) {
          e.nodes.put(r.node(), settled(r, r.serial(), r.estimateMs(), "ttl-expiry"));
          observer.propagated(zone, e.serial, e.nodes.get(r.node()));
        }
      }
    }
    waiters.removeIf(w -> {
      if (!w.zone.equals(zone)) {
        return w.future.isDone();
      }
      Optional<Entry> e = zones.getOrDefault(zone, new ArrayDeque<>()).stream()
          .filter(x -> x.serial == w.serial).findFirst();
      if (e.isEmpty()) {
        w.future.completeExceptionally(new IllegalArgumentException("change " + zone + " serial " + w.serial + " left the history"));
        return true;
      }
      Change c = e.get().snapshot();
      if (c.laggards(w.scope).isEmpty()) {
        w.future.complete(c);
      }
      return w.future.isDone();
    });
  }

  private static NodeReport withSerial(NodeReport r, long serial) {
    long s = r.serial() < 0 || Serial.isNewer(serial, r.serial()) ? serial : r.serial();
    return new NodeReport(r.node(), r.role(), r.tier(), r.state(), s, r.measuredMs(), r.estimateMs(), r.upperBoundMs(),
        r.basis(), r.status(), r.notifySentMs(), r.notifyAckedMs());
  }

  private static NodeReport settled(NodeReport r, long serial, long measured, String basis) {
    return new NodeReport(r.node(), r.role(), r.tier(), NodeReport.State.PROPAGATED, serial, measured, r.estimateMs(),
        r.upperBoundMs(), basis, null, r.notifySentMs(), r.notifyAckedMs());
  }

  /**
   * What a node said about itself, checked before it is believed: it serves {@code serial}, applied
   * at {@code appliedAt} (null when it does not say; the time of this call is used). The answer is
   * rejected, and the node's pending changes show why, when the serial is newer than the primary's
   * latest change, older than a serial the node served before (RFC 1982), or the applied time is
   * more than {@code skew} in the future or before the commit of the newest change it would
   * settle. Otherwise it is {@link #observe observed} and any earlier status is cleared.
   *
   * @return the problem ({@code inconsistent: ...}), empty when the answer was used
   */
  public synchronized Optional<String> report(String zone, String node, long serial, Instant appliedAt, Duration skew) {
    Instant now = clock.instant();
    Deque<Entry> history = zones.getOrDefault(zone, new ArrayDeque<>());
    Long before = lastSeen.getOrDefault(zone, Map.of()).get(node);
    String problem = null;
    if (!history.isEmpty() && Serial.isNewer(serial, history.getLast().serial)) {
      problem = "inconsistent: serial " + serial + " is newer than the primary's " + history.getLast().serial;
    } else if (before != null && Serial.isNewer(before, serial)) {
      problem = "inconsistent: serial went backwards from " + before + " to " + serial;
    } else if (appliedAt != null && appliedAt.isAfter(now.plus(skew))) {
      problem = "inconsistent: serial " + serial + " applied at " + appliedAt + ", in the future";
    } else if (appliedAt != null) {
      Entry newest = null;
      for (Entry e : history) {
        if (Serial.isAtLeast(serial, e.serial)) {
          newest = e;
        }
      }
      if (newest != null && appliedAt.isBefore(newest.committedAt.minus(skew))) {
        problem = "inconsistent: serial " + serial + " applied at " + appliedAt + ", before serial " + newest.serial
            + " was committed at " + newest.committedAt;
      }
    }
    if (problem != null) {
      status(zone, node, problem);
      return Optional.of(problem);
    }
    status(zone, node, null);
    observe(zone, node, serial, appliedAt == null ? now : appliedAt);
    return Optional.empty();
  }

  /**
   * Why nothing can be learnt of a node now ({@code unreachable: ...}, {@code error: ...}), shown on
   * its pending changes until it answers again; null clears it.
   */
  public synchronized void status(String zone, String node, String status) {
    for (Entry e : zones.getOrDefault(zone, new ArrayDeque<>())) {
      NodeReport r = e.nodes.get(node);
      if (r != null && !r.propagated() && !java.util.Objects.equals(r.status(), status)) {
        e.nodes.put(node, r.withStatus(status));
      }
    }
  }

  /**
   * The primary announced {@code serial} to a node at {@code sentAt} (acknowledged at {@code
   * ackedAt}, or null): the NOTIFY times of every change up to that serial committed at or before
   * the send that has none yet. Feed a node's announcements oldest first.
   */
  public synchronized void notified(String zone, String node, long serial, Instant sentAt, Instant ackedAt) {
    for (Entry e : zones.getOrDefault(zone, new ArrayDeque<>())) {
      NodeReport r = e.nodes.get(node);
      if (r == null || !Serial.isAtLeast(serial, e.serial) || sentAt.isBefore(e.committedAt)) {
        continue;
      }
      Long sent = r.notifySentMs();
      Long acked = r.notifyAckedMs();
      if (sent == null) {
        sent = Duration.between(e.committedAt, sentAt).toMillis();
      }
      if (acked == null && ackedAt != null) {
        acked = Math.max(sent, Duration.between(e.committedAt, ackedAt).toMillis());
      }
      e.nodes.put(node, r.withNotify(sent, acked));
    }
  }

  /** The serial of the latest recorded change of the zone. */
  public synchronized java.util.OptionalLong latestSerial(String zone) {
    Deque<Entry> history = zones.get(zone);
    return history == null || history.isEmpty() ? java.util.OptionalLong.empty()
        : java.util.OptionalLong.of(history.getLast().serial);
  }

  /** The node names of the latest change of a zone that do not serve it yet. */
  public synchronized List<String> pendingNodes(String zone) {
    Deque<Entry> history = zones.get(zone);
    if (history == null) {
      return List.of();
    }
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    history.forEach(e -> e.nodes.values().stream().filter(r -> !r.propagated()).forEach(r -> out.add(r.node())));
    return List.copyOf(out);
  }

  /** When the oldest change of the zone still pending at that node was committed. */
  public synchronized Optional<Instant> pendingSince(String zone, String node) {
    for (Entry e : zones.getOrDefault(zone, new ArrayDeque<>())) {
      NodeReport r = e.nodes.get(node);
      if (r != null && !r.propagated()) {
        return Optional.of(e.committedAt);
      }
    }
    return Optional.empty();
  }

  private static final class Entry {
    final String zone;
    final long serial;
    final Instant committedAt;
    final Map<String, PeerNode> peers = new LinkedHashMap<>();
    final Map<String, NodeReport> nodes = new LinkedHashMap<>();

    Entry(String zone, long serial, Instant committedAt) {
      this.zone = zone;
      this.serial = serial;
      this.committedAt = committedAt;
    }

    Change snapshot() {
      return new Change(zone, serial, committedAt, List.copyOf(nodes.values()));
    }
  }

  private record Waiter(String zone, long serial, WaitScope scope, CompletableFuture<Change> future) {}
}
