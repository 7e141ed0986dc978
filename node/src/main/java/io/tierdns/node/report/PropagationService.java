package io.tierdns.node.report;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanContext;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.ZoneCommitListener;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.cache.EntryView;
import io.tierdns.edge.SubscriptionConfig;
import io.tierdns.node.ListenAddress;
import io.tierdns.node.LocalNodes;
import io.tierdns.node.NodeConfiguration;
import io.tierdns.node.NodeRuntime;
import io.tierdns.node.cache.CacheConfiguration;
import io.tierdns.node.cache.CacheRole;
import io.tierdns.node.secondary.SecondaryRole;
import io.tierdns.zonesync.SecondaryZone;
import io.tierdns.zonesync.SecondaryZoneConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Feeds the {@link PropagationTracker} of the primary: every durable commit is recorded with an
 * estimate per node, then the nodes of this JVM ({@link LocalNodes}, as under {@code up}) are
 * polled on a short bounded schedule: a secondary reports the serial it serves and when its last
 * transfer was applied, a subscribed cache its subscription serial (≥ S once the changed RRsets
 * were evicted). Unsubscribed caches are not polled; the tracker settles them when their old
 * copies expire.
 *
 * <p>Nodes in other processes are not seen yet: only this JVM's nodes appear in the report.
 */
@Singleton
public class PropagationService implements ZoneCommitListener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PropagationService.class);
  /** How often nodes are polled while a change is pending. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(20);
  /** How long after a commit nodes are polled at most. */
  static final Duration POLL_WINDOW = Duration.ofMinutes(2);

  private final String self;
  private final Clock clock = Clock.systemUTC();
  private final PropagationTracker tracker;
  private final PropagationMetrics metrics;
  private final Map<String, List<PeerNode>> peersByZone = new ConcurrentHashMap<>();
  private volatile Instant pollUntil = Instant.MIN;
  private ScheduledExecutorService poller;

  public PropagationService(
      NodeConfiguration node, NodeConfiguration.Authoritative authoritative, MeterRegistry meters) {
    this.self = node.getNodeName();
    this.tracker = new PropagationTracker(
        clock, PropagationEstimator.withNotifyDelay(authoritative.getNotifyDelay()), PropagationTracker.DEFAULT_HISTORY);
    this.metrics = new PropagationMetrics(meters, tracker, clock);
    tracker.observer(metrics);
  }

  public PropagationTracker tracker() {
    return tracker;
  }

  /** The longest a write may wait for propagation. */
  public static final Duration MAX_WAIT = Duration.ofMinutes(5);

  /**
   * Waits until every node of the scope serves the change or the timeout passes; returns the
   * nodes still lagging (empty when all serve it).
   */
  public List<String> await(Name zone, long serial, WaitScope scope, Duration timeout) {
    var done = tracker.whenPropagated(zone.toString(), serial, scope);
    try {
      done.get(Math.min(timeout.toMillis(), MAX_WAIT.toMillis()), TimeUnit.MILLISECONDS);
      return List.of();
    } catch (java.util.concurrent.TimeoutException e) {
      done.cancel(false);
    } catch (java.util.concurrent.ExecutionException e) {
      LOG.warn("zone={} serial={} wait failed: {}", zone, serial, e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return tracker.change(zone.toString(), serial).map(c -> c.laggards(scope)).orElse(List.of());
  }

  @Override
  public void committed(ZoneSnapshot snapshot, ZoneDiff diff) {
    try {
      Name zone = snapshot.origin();
      List<PeerNode> peers = peers(zone);
      Map<String, CachedCopies> cached = new HashMap<>();
      long oldTtlMs = diff == null ? 0 : oldTtlMs(diff);
      for (PeerNode p : peers) {
        if (p.role() == PeerNode.Role.CACHE && !p.subscribed() && diff != null) {
          cachedCopies(p.name(), diff, oldTtlMs).ifPresent(c -> cached.put(p.name(), c));
        }
      }
      peersByZone.put(zone.toString(), peers);
      Change c = tracker.committed(zone.toString(), snapshot.serial(), peers, cached, oldTtlMs);
      metrics.track(c);
      LOG.debug("zone={} serial={} propagation to {} nodes tracked", zone, snapshot.serial(), c.nodes().size());
      pollUntil = clock.instant().plus(POLL_WINDOW);
      startPolling();
    } catch (RuntimeException e) {
      // the report must never fail a write that is already durable
      LOG.warn("zone={} serial={} propagation not tracked: {}", snapshot.origin(), snapshot.serial(), e.toString());
    }
  }

  private synchronized void startPolling() {
    if (poller == null) {
      poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tierdns-propagation");
        t.setDaemon(true);
        return t;
      });
      poller.scheduleWithFixedDelay(this::pollSafely, 0, POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void pollSafely() {
    try {
      if (clock.instant().isBefore(pollUntil) && tracker.awaitingObservations()) {
        poll();
      }
      tracker.tick();
    } catch (RuntimeException e) {
      LOG.warn("propagation poll failed: {}", e.toString());
    }
  }

  /** Asks every tracked node of this JVM which serial it serves now. */
  void poll() {
    for (Map.Entry<String, List<PeerNode>> z : peersByZone.entrySet()) {
      Name zone = Name.fromConstantString(z.getKey());
      for (PeerNode p : z.getValue()) {
        Optional<BeanContext> ctx = LocalNodes.node(p.name());
        if (ctx.isEmpty()) {
          continue;
        }
        if (p.role() == PeerNode.Role.SECONDARY) {
          for (SecondaryZone s : ctx.get().getBean(SecondaryRole.class).states()) {
            if (s.zone().equals(zone) && s.serial() >= 0) {
              SecondaryZone.TransferRecord t = s.lastTransfer();
              Instant at = t != null && t.toSerial() == s.serial() ? t.at() : clock.instant();
              tracker.observe(z.getKey(), p.name(), s.serial(), at);
            }
          }
        } else if (p.subscribed()) {
          CacheRole cache = ctx.get().getBean(CacheRole.class);
          cache.subscription(zone).flatMap(sub -> {
            var serial = sub.serial();
            return serial.isPresent() ? Optional.of(serial.getAsLong()) : Optional.empty();
          }).ifPresent(serial -> tracker.observe(z.getKey(), p.name(), serial, clock.instant()));
        }
      }
    }
  }

  /** Every node of this JVM but this one that serves or caches the zone, with its upstream. */
  List<PeerNode> peers(Name zone) {
    Map<String, String> byAddress = new HashMap<>();
    Map<String, BeanContext> nodes = new LinkedHashMap<>();
    for (String name : LocalNodes.names()) {
      LocalNodes.node(name).ifPresent(c -> {
        nodes.put(name, c);
        c.getBean(NodeRuntime.class).boundAddresses().forEach(a -> byAddress.put(ListenAddress.format(a), name));
      });
    }
    List<PeerNode> out = new ArrayList<>();
    for (Map.Entry<String, BeanContext> n : nodes.entrySet()) {
      if (n.getKey().equals(self)) {
        continue;
      }
      BeanContext c = n.getValue();
      SecondaryRole secondary = c.getBean(SecondaryRole.class);
      CacheRole cache = c.getBean(CacheRole.class);
      if (secondary.configured()) {
        secondary.zones().stream().filter(z -> z.zone().equals(zone)).findFirst().ifPresent(z -> out.add(
            new PeerNode(n.getKey(), PeerNode.Role.SECONDARY, "regional", upstream(first(z.primaries()), byAddress), true)));
      } else if (cache.running()) {
        Optional<SubscriptionConfig> sub = cache.subscriptions().stream().filter(s -> s.zone().equals(zone)).findFirst();
        String upstream;
        if (sub.isPresent()) {
          upstream = sub.get().upstreams().isEmpty() ? null : byAddress.get(ListenAddress.format(sub.get().upstreams().get(0)));
        } else {
          List<String> ups = cache.forwardZones().getOrDefault(zone, c.getBean(CacheConfiguration.class).getUpstreams());
          upstream = ups == null || ups.isEmpty() ? null : byAddress.get(ups.get(0).trim());
        }
        out.add(new PeerNode(n.getKey(), PeerNode.Role.CACHE, cache.tier(), self.equals(upstream) ? null : upstream, sub.isPresent()));
      }
    }
    return out;
  }

  private String upstream(InetSocketAddress address, Map<String, String> byAddress) {
    String name = address == null ? null : byAddress.get(ListenAddress.format(address));
    return self.equals(name) ? null : name;
  }

  private static InetSocketAddress first(List<SecondaryZoneConfig.Primary> primaries) {
    return primaries.isEmpty() ? null : primaries.get(0).address();
  }

  /** The longest TTL a changed RRset had before; for new names, the old SOA's negative TTL (RFC 2308 §5). */
  static long oldTtlMs(ZoneDiff diff) {
    long ttl = diff.removed().stream().filter(r -> r.getType() != Type.SOA).mapToLong(Record::getTTL).max().orElse(0);
    Set<Name> removedNames = new LinkedHashSet<>();
    diff.removed().forEach(r -> removedNames.add(r.getName()));
    boolean newName = diff.added().stream().anyMatch(r -> r.getType() != Type.SOA && !removedNames.contains(r.getName()));
    if (newName && diff.fromSoa() != null) {
      ttl = Math.max(ttl, Math.min(diff.fromSoa().getMinimum(), diff.fromSoa().getTTL()));
    }
    return ttl * 1000;
  }

  /** What an unsubscribed cache of this JVM holds of the changed RRsets now. */
  private Optional<CachedCopies> cachedCopies(String node, ZoneDiff diff, long oldTtlMs) {
    return LocalNodes.node(node).map(c -> c.getBean(CacheRole.class)).filter(CacheRole::running).map(cache -> {
      long remaining = 0;
      Set<String> seen = new LinkedHashSet<>();
      List<Record> changed = new ArrayList<>(diff.removed());
      changed.addAll(diff.added());
      for (Record r : changed) {
        if (r.getType() == Type.SOA || !seen.add(r.getName() + "/" + r.getType())) {
          continue;
        }
        Optional<EntryView> e = cache.resolver().inspect(r.getName(), r.getType());
        if (e.isPresent()) {
          remaining = Math.max(remaining, e.get().remainingTtl() * 1000);
        }
      }
      return new CachedCopies(remaining, oldTtlMs, cache.resolver().policy().staleWindow().toMillis());
    });
  }

  @Override
  @PreDestroy
  public synchronized void close() {
    if (poller != null) {
      poller.shutdownNow();
    }
  }
}
