package io.tierdns.node.report;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Estimates, at commit time, how long a change takes to reach each node, from what was measured
 * for earlier changes. Pure: no clock, no I/O.
 *
 * <p>Design note. Every node contributes one <em>hop</em>: the time from its upstream serving the
 * change to itself serving it. The estimate for a node is its upstream's estimate plus its hop:
 *
 * <ul>
 *   <li><b>Secondary</b>: the primary's NOTIFY delay (RFC 1996 §3.5) plus the median of its last
 *       N measured hops (NOTIFY, SOA query, IXFR/AXFR, journal and swap); a default until it has
 *       history.
 *   <li><b>Subscribed cache</b>: its upstream's estimate plus the median of its last N hops (NOTIFY,
 *       IXFR, eviction); a default until it has history.
 *   <li><b>Unsubscribed cache</b>: it learns nothing; its old copies must expire (RFC 1035 §3.2.1),
 *       plus the serve-stale window (RFC 8767). When its upstream is authoritative and does not
 *       have the change at commit, a refetch just before it does can cache the old RRset for a
 *       full old TTL, so the bound is {@code max(remaining, upstream + oldTtl) + stale}; the same
 *       holds below a subscribed cache, which serves its old copy (up to a full old TTL left)
 *       until it evicts it. When its upstream is an unsubscribed cache, copies it hands out carry that cache's remaining TTL, so the hop adds
 *       only its own stale window: {@code max(remaining, upstream) + stale}. An unknown remaining
 *       TTL counts as the old TTL. This is "bounded by the old TTL along the chain".
 * </ul>
 *
 * Medians, not maxima: the estimate is the expected time, and the report shows it next to what was
 * measured. History is bounded to the last {@code historySize} samples per node.
 *
 * <p>Upper bound. Next to the estimate each node gets an upper bound, chained the same way: its
 * upstream's bound plus a bound on its own hop. A measured hop bound is {@code max(last N hops) ×
 * boundFactor + boundFloor} (the floor covers a GC pause or a slow poll that the history has not
 * seen); without history (cold start) it is {@code default hop × boundFactor + boundFloor}. A
 * secondary adds the NOTIFY delay as for the estimate. An unsubscribed cache's bound is its
 * TTL-expiry time computed from its upstream's <em>bound</em> (the formula is monotone in it, so it
 * is never below the estimate).
 */
public final class PropagationEstimator {

  /** Samples kept per node. */
  public static final int DEFAULT_HISTORY = 20;
  /** The largest measured hop is multiplied by this for the bound. */
  public static final long DEFAULT_BOUND_FACTOR = 2;
  /** Added to every hop's bound: a GC pause, a poll interval, scheduling. */
  public static final Duration DEFAULT_BOUND_FLOOR = Duration.ofMillis(250);

  /**
   * The estimate of one node and its upper bound, in milliseconds from the commit.
   *
   * @param estimateMs the typical time (medians of measured hops along the path)
   * @param upperBoundMs the time by which the change should be visible (maxima × factor + floor)
   */
  public record Estimate(long estimateMs, long upperBoundMs) {}

  private final long notifyDelayMs;
  private final long defaultTransferMs;
  private final long defaultHopMs;
  private final int historySize;
  private final long boundFactor;
  private final long boundFloorMs;
  private final Map<String, Deque<Long>> hops = new HashMap<>();

  /**
   * @param notifyDelay the primary's NOTIFY delay
   * @param defaultTransfer a secondary's hop before any was measured
   * @param defaultHop a subscribed cache's hop before any was measured
   * @param historySize hops kept per node (the median is over these)
   */
  public PropagationEstimator(Duration notifyDelay, Duration defaultTransfer, Duration defaultHop, int historySize) {
    this(notifyDelay, defaultTransfer, defaultHop, historySize, DEFAULT_BOUND_FACTOR, DEFAULT_BOUND_FLOOR);
  }

  /**
   * @param boundFactor the largest measured hop (or the default hop) is multiplied by this for its bound
   * @param boundFloor added to every hop's bound
   */
  public PropagationEstimator(
      Duration notifyDelay, Duration defaultTransfer, Duration defaultHop, int historySize,
      long boundFactor, Duration boundFloor) {
    if (historySize < 1) {
      throw new IllegalArgumentException("historySize must be at least 1");
    }
    if (boundFactor < 1 || boundFloor.isNegative()) {
      throw new IllegalArgumentException("boundFactor must be at least 1 and boundFloor not negative");
    }
    this.notifyDelayMs = notifyDelay.toMillis();
    this.defaultTransferMs = defaultTransfer.toMillis();
    this.defaultHopMs = defaultHop.toMillis();
    this.historySize = historySize;
    this.boundFactor = boundFactor;
    this.boundFloorMs = boundFloor.toMillis();
  }

  /** Defaults: the given NOTIFY delay, 1 s per secondary, 500 ms per cache hop, 20 samples. */
  public static PropagationEstimator withNotifyDelay(Duration notifyDelay) {
    return new PropagationEstimator(notifyDelay, Duration.ofSeconds(1), Duration.ofMillis(500), DEFAULT_HISTORY);
  }

  public long notifyDelayMs() {
    return notifyDelayMs;
  }

  /** Records one measured hop of a node (negative values count as 0). */
  public synchronized void recordHop(String node, long hopMs) {
    Deque<Long> h = hops.computeIfAbsent(node, n -> new ArrayDeque<>());
    h.addLast(Math.max(0, hopMs));
    while (h.size() > historySize) {
      h.removeFirst();
    }
  }

  /** The median of a node's recorded hops, or {@code fallback} without history. */
  public synchronized long medianHop(String node, long fallback) {
    Deque<Long> h = hops.get(node);
    if (h == null || h.isEmpty()) {
      return fallback;
    }
    long[] sorted = h.stream().mapToLong(Long::longValue).sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /**
   * The bound of one hop of a node: {@code max(history) × boundFactor + boundFloor}, or {@code
   * fallback × boundFactor + boundFloor} without history.
   */
  public synchronized long hopBound(String node, long fallback) {
    Deque<Long> h = hops.get(node);
    long max = h == null || h.isEmpty() ? fallback : h.stream().mapToLong(Long::longValue).max().orElse(fallback);
    return max * boundFactor + boundFloorMs;
  }

  /** The hops recorded for a node, oldest first. */
  public synchronized List<Long> history(String node) {
    return List.copyOf(hops.getOrDefault(node, new ArrayDeque<>()));
  }

  /**
   * The estimate per node, in milliseconds from the commit.
   *
   * @param nodes every node but the primary; a node's upstream refers to another of them by name
   *     (or is null/unknown: the primary)
   * @param cached for unsubscribed caches, what they hold of the changed RRsets; a missing entry
   *     means nothing is known (the old TTL is assumed, with {@code defaultOldTtlMs})
   * @param defaultOldTtlMs the old TTL assumed for an unsubscribed cache without an entry
   */
  public Map<String, Long> estimate(List<PeerNode> nodes, Map<String, CachedCopies> cached, long defaultOldTtlMs) {
    Map<String, Long> out = new LinkedHashMap<>();
    estimates(nodes, cached, defaultOldTtlMs).forEach((n, e) -> out.put(n, e.estimateMs()));
    return out;
  }

  /** The estimate and upper bound per node; the parameters are those of {@link #estimate}. */
  public Map<String, Estimate> estimates(List<PeerNode> nodes, Map<String, CachedCopies> cached, long defaultOldTtlMs) {
    Map<String, PeerNode> byName = new LinkedHashMap<>();
    nodes.forEach(n -> byName.put(n.name(), n));
    Map<String, Estimate> out = new LinkedHashMap<>();
    for (PeerNode n : nodes) {
      estimate(n, byName, cached, defaultOldTtlMs, out, 0);
    }
    return out;
  }

  private Estimate estimate(
      PeerNode n, Map<String, PeerNode> byName, Map<String, CachedCopies> cached, long defaultOldTtlMs,
      Map<String, Estimate> memo, int depth) {
    Estimate known = memo.get(n.name());
    if (known != null) {
      return known;
    }
    PeerNode up = n.upstream() == null ? null : byName.get(n.upstream());
    // a configuration loop would recurse forever: beyond the number of nodes, treat it as the primary
    if (depth > byName.size()) {
      up = null;
    }
    Estimate upstream = up == null ? new Estimate(0, 0) : estimate(up, byName, cached, defaultOldTtlMs, memo, depth + 1);
    Estimate result;
    if (n.role() == PeerNode.Role.SECONDARY) {
      // NOTIFY delay applies to every hop that is announced by NOTIFY, the primary's and a secondary's
      result = new Estimate(
          upstream.estimateMs() + notifyDelayMs + medianHop(n.name(), defaultTransferMs),
          upstream.upperBoundMs() + notifyDelayMs + hopBound(n.name(), defaultTransferMs));
    } else if (n.subscribed()) {
      result = new Estimate(
          upstream.estimateMs() + medianHop(n.name(), defaultHopMs),
          upstream.upperBoundMs() + hopBound(n.name(), defaultHopMs));
    } else {
      CachedCopies c = cached.getOrDefault(n.name(), CachedCopies.unknown(defaultOldTtlMs, 0));
      // an unsubscribed upstream cache hands out copies that expire with its own; a subscribed one
      // serves its old copy until it evicts it, with up to a full old TTL left, like an authoritative
      boolean upstreamIsCache = up != null && up.role() == PeerNode.Role.CACHE && !up.subscribed();
      result = new Estimate(
          unsubscribedCache(c, upstream.estimateMs(), upstreamIsCache),
          unsubscribedCache(c, upstream.upperBoundMs(), upstreamIsCache));
    }
    memo.put(n.name(), result);
    return result;
  }

  /**
   * The TTL-expiry estimate of an unsubscribed cache (see the class note).
   *
   * @param upstreamMs when its upstream serves only the new version, from the commit (0 for the primary)
   * @param upstreamIsCache whether the upstream hands out decremented TTLs (a cache) or full ones
   */
  public static long unsubscribedCache(CachedCopies c, long upstreamMs, boolean upstreamIsCache) {
    long remaining = c.remainingTtlMs() < 0 ? c.oldTtlMs() : c.remainingTtlMs();
    long refetch;
    if (upstreamIsCache) {
      refetch = upstreamMs;
    } else {
      refetch = upstreamMs > 0 ? upstreamMs + c.oldTtlMs() : 0;
    }
    return Math.max(remaining, refetch) + Math.max(0, c.staleWindowMs());
  }

  /**
   * The advice for a planned change of one RRset: how long a change made now would take per node,
   * and how to make it fast by lowering the TTL first.
   *
   * @param now per node, the estimate and bound of a change made now (the RRset's current TTL
   *     and the copies cached now)
   * @param currentTtlMs the RRset's TTL now (for a name that does not exist, the negative TTL)
   * @param worstNowMs the largest bound of {@code now}: when every node is sure to have the change
   * @param loweredTtlMs the TTL to lower to first (X)
   * @param safeAfterMs from now, when the lowered TTL is in force everywhere (Z): the bound of the
   *     TTL-lowering change itself, whose old copies carry the current TTL
   * @param after per node, the bound of a change made after {@code safeAfterMs} (old copies carry X)
   * @param withinMs the largest bound of {@code after} (Y)
   * @param lowering whether lowering helps at all (false when the TTL is already at most X)
   */
  public record WhatIf(
      Map<String, Estimate> now, long currentTtlMs, long worstNowMs, long loweredTtlMs, long safeAfterMs,
      Map<String, Estimate> after, long withinMs, boolean lowering) {}

  /**
   * "Lower the TTL to X now, and the change will propagate within Y if applied after Z" (Z =
   * now + {@code safeAfterMs}). Pure: the bounds of {@link #estimates} twice, once for a change now
   * (old copies with the current TTL and what caches hold now) and once for a change after the
   * TTL-lowering change has settled everywhere (every old copy carries at most X). The
   * TTL-lowering change is itself a change of the RRset made now, so Z is the worst bound of the
   * first computation. For secondaries and subscribed caches the TTL plays no part: their bound is
   * the NOTIFY and transfer history either way.
   *
   * @param nodes every node but the primary (see {@link #estimates})
   * @param cached per unsubscribed cache, what it holds of the RRset now (missing: unknown, the
   *     current TTL is assumed)
   * @param currentTtlMs the RRset's TTL now
   * @param loweredTtlMs X
   */
  public WhatIf whatIf(List<PeerNode> nodes, Map<String, CachedCopies> cached, long currentTtlMs, long loweredTtlMs) {
    if (currentTtlMs < 0 || loweredTtlMs < 0) {
      throw new IllegalArgumentException("TTLs must not be negative");
    }
    Map<String, Estimate> now = estimates(nodes, cached, currentTtlMs);
    long worstNow = now.values().stream().mapToLong(Estimate::upperBoundMs).max().orElse(0);
    boolean lowering = loweredTtlMs < currentTtlMs;
    long x = Math.min(loweredTtlMs, currentTtlMs);
    Map<String, CachedCopies> afterCopies = new LinkedHashMap<>();
    for (PeerNode n : nodes) {
      long stale = cached.containsKey(n.name()) ? cached.get(n.name()).staleWindowMs() : 0;
      afterCopies.put(n.name(), new CachedCopies(x, x, stale));
    }
    Map<String, Estimate> after = lowering ? estimates(nodes, afterCopies, x) : now;
    long within = after.values().stream().mapToLong(Estimate::upperBoundMs).max().orElse(0);
    return new WhatIf(now, currentTtlMs, worstNow, x, lowering ? worstNow : 0, after, within, lowering);
  }

  @Override
  public synchronized String toString() {
    return "PropagationEstimator" + Arrays.toString(hops.entrySet().toArray());
  }
}
