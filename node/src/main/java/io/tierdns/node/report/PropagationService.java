package io.tierdns.node.report;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanContext;
import io.micronaut.context.env.Environment;
import io.tierdns.authoritative.notify.NotifyRecord;
import io.tierdns.authoritative.notify.NotifyTarget;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
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
 * estimate per node, then every pending node is asked what it serves on a short bounded schedule
 * until it serves the change or the poll window ends:
 *
 * <ul>
 *   <li>nodes of this JVM ({@link LocalNodes}, as under {@code up}) directly: a secondary reports
 *       the serial it serves and when its last transfer was applied, a subscribed cache its
 *       subscription serial (≥ S once the changed RRsets were evicted);
 *   <li>tierdns nodes of other processes ({@code tierdns.propagation.peers} with an {@code admin}
 *       URL) the same over their admin API ({@link PeerClient});
 *   <li>foreign secondaries (a NOTIFY target that is no known node, or a declared secondary
 *       without {@code admin}) by their SOA over DNS ({@link SoaPoller}).
 * </ul>
 *
 * Remote polls are asynchronous, one in flight per node, on {@link PollSchedule}; what they answer
 * is checked by {@link PropagationTracker#report} before it is believed. Unsubscribed caches are
 * not polled; the tracker settles them when their old copies expire. The NOTIFY sender's history
 * gives each secondary's NOTIFY sent and acknowledged times.
 */
@Singleton
public class PropagationService implements ZoneCommitListener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PropagationService.class);
  /** How often pending nodes are looked at; remote ones are asked on {@link PollSchedule}. */
  static final Duration POLL_INTERVAL = PollSchedule.FAST;
  /** How long after a commit nodes are polled at most. */
  static final Duration POLL_WINDOW = Duration.ofMinutes(2);

  private final String self;
  private final Clock clock = Clock.systemUTC();
  private final PropagationTracker tracker;
  private final PropagationMetrics metrics;
  private final Map<String, List<PeerNode>> peersByZone = new ConcurrentHashMap<>();
  private final Map<String, Map<String, PeerConfig>> remoteByZone = new ConcurrentHashMap<>();
  private final Map<String, Instant> nextPoll = new ConcurrentHashMap<>();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final PropagationSettings settings;
  private volatile Function<Name, List<NotifyTarget>> notifyTargets = z -> List.of();
  private volatile Function<Name, List<NotifyRecord>> notifyHistory = z -> List.of();
  private volatile Instant pollUntil = Instant.MIN;
  private ScheduledExecutorService poller;
  private PeerClient http;
  private SoaPoller dns;

  public PropagationService(
      NodeConfiguration node, NodeConfiguration.Authoritative authoritative, MeterRegistry meters,
      Environment environment) {
    this.settings = PropagationSettings.from(environment);
    this.self = node.getNodeName();
    this.tracker = new PropagationTracker(
        clock, PropagationEstimator.withNotifyDelay(authoritative.getNotifyDelay()), PropagationTracker.DEFAULT_HISTORY);
    this.metrics = new PropagationMetrics(meters, tracker, clock);
    tracker.observer(metrics);
  }

  public PropagationTracker tracker() {
    return tracker;
  }

  public PropagationSettings settings() {
    return settings;
  }

  /**
   * Where the primary's NOTIFY targets and NOTIFY history come from (its {@code NotifySender});
   * set once the authoritative role has started.
   */
  public void notifySource(Function<Name, List<NotifyTarget>> targets, Function<Name, List<NotifyRecord>> history) {
    this.notifyTargets = targets;
    this.notifyHistory = history;
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
      Map<String, PeerConfig> remote = remoteByZone.getOrDefault(zone.toString(), Map.of());
      Map<String, CachedCopies> cached = new HashMap<>();
      long oldTtlMs = diff == null ? 0 : oldTtlMs(diff);
      for (PeerNode p : peers) {
        if (p.role() == PeerNode.Role.CACHE && !p.subscribed() && diff != null && !remote.containsKey(p.name())) {
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

  /** A deleted zone's report and gauges go with it. */
  @Override
  public void deleted(Name zone) {
    String name = zone.toString();
    peersByZone.remove(name);
    remoteByZone.remove(name);
    nextPoll.keySet().removeIf(key -> key.startsWith(name + " "));
    tracker.forget(name);
    metrics.forget(name);
    LOG.debug("zone={} deleted: its propagation report and gauges are removed", zone);
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
        pollRemote();
        feedNotify();
      }
      tracker.tick();
    } catch (RuntimeException e) {
      LOG.warn("propagation poll failed: {}", e.toString());
    }
  }

  /** Asks the pending nodes of other processes, each on its schedule, one request in flight per node. */
  void pollRemote() {
    Instant now = clock.instant();
    for (Map.Entry<String, Map<String, PeerConfig>> z : remoteByZone.entrySet()) {
      String zone = z.getKey();
      for (String node : tracker.pendingNodes(zone)) {
        PeerConfig peer = z.getValue().get(node);
        if (peer == null || peer.probe() == PeerConfig.Probe.NONE) {
          continue;
        }
        Optional<Instant> since = tracker.pendingSince(zone, node);
        String key = zone + " " + node;
        if (since.isEmpty() || inFlight.contains(key)
            || !PollSchedule.polled(Duration.between(since.get(), now), POLL_WINDOW)
            || now.isBefore(nextPoll.getOrDefault(key, Instant.MIN))) {
          continue;
        }
        nextPoll.put(key, now.plus(PollSchedule.next(Duration.between(since.get(), now))));
        inFlight.add(key);
        CompletableFuture<PeerAnswer> answer = peer.probe() == PeerConfig.Probe.HTTP
            ? http().poll(peer, zone) : dns().poll(peer.dns(), zone);
        answer.whenComplete((a, failure) -> {
          inFlight.remove(key);
          try {
            if (a instanceof PeerAnswer.Serving serving) {
              tracker.report(zone, node, serving.serial(), serving.appliedAt(), settings.clockSkew())
                  .ifPresent(problem -> LOG.debug("zone={} node={} {}", zone, node, problem));
            } else if (a instanceof PeerAnswer.Failed f) {
              tracker.status(zone, node, f.status());
            } else if (failure != null) {
              tracker.status(zone, node, "error: " + failure);
            }
          } catch (RuntimeException e) {
            LOG.warn("zone={} node={} answer not used: {}", zone, node, e.toString());
          }
        });
      }
    }
  }

  /** Copies the NOTIFY sender's send and acknowledgement times into the pending changes. */
  void feedNotify() {
    for (Map.Entry<String, List<PeerNode>> z : peersByZone.entrySet()) {
      Map<String, String> byAddress = addressesOf(z.getKey());
      if (byAddress.isEmpty()) {
        continue;
      }
      for (NotifyRecord r : notifyHistory.apply(Name.fromConstantString(z.getKey()))) {
        String node = byAddress.get(ListenAddress.format(r.address()));
        if (node != null) {
          tracker.notified(z.getKey(), node, r.serial(), r.firstSentAt(), r.ackedAt());
        }
      }
    }
  }

  /** The NOTIFY target address of each node of the zone: its DNS address. */
  private Map<String, String> addressesOf(String zone) {
    Map<String, String> out = new HashMap<>();
    for (PeerNode p : peersByZone.getOrDefault(zone, List.of())) {
      PeerConfig remote = remoteByZone.getOrDefault(zone, Map.of()).get(p.name());
      if (remote != null) {
        if (remote.dns() != null) {
          out.put(ListenAddress.format(remote.dns()), p.name());
        }
      } else {
        LocalNodes.node(p.name()).ifPresent(c -> c.getBean(NodeRuntime.class).boundAddresses()
            .forEach(a -> out.put(ListenAddress.format(a), p.name())));
      }
    }
    return out;
  }

  private synchronized PeerClient http() {
    if (http == null) {
      http = new PeerClient(settings.requestTimeout());
    }
    return http;
  }

  private synchronized SoaPoller dns() {
    if (dns == null) {
      dns = new SoaPoller(settings.requestTimeout());
    }
    return dns;
  }

  /** Asks every tracked node of this JVM which serial it serves now. */
  void poll() {
    for (Map.Entry<String, List<PeerNode>> z : peersByZone.entrySet()) {
      Name zone = Name.fromConstantString(z.getKey());
      Map<String, PeerConfig> remote = remoteByZone.getOrDefault(z.getKey(), Map.of());
      for (PeerNode p : z.getValue()) {
        Optional<BeanContext> ctx = remote.containsKey(p.name()) ? Optional.empty() : LocalNodes.node(p.name());
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

  /**
   * Every node but this one that serves or caches the zone, with its upstream: the declared peers
   * of other processes, the nodes of this JVM that are not declared (by name or DNS address), and
   * the zone's NOTIFY targets that are neither (foreign secondaries, named by their address).
   * Remembers how each remote one is asked.
   */
  List<PeerNode> peers(Name zone) {
    Map<String, PeerConfig> remote = new LinkedHashMap<>();
    Set<String> declaredAddresses = new LinkedHashSet<>();
    for (PeerConfig p : settings.peers()) {
      if (p.serves(zone.toString()) && !p.name().equals(self)) {
        remote.put(p.name(), p);
        if (p.dns() != null) {
          declaredAddresses.add(ListenAddress.format(p.dns()));
        }
      }
    }
    List<PeerNode> out = new ArrayList<>();
    Set<String> localAddresses = new LinkedHashSet<>();
    for (PeerNode local : localPeers(zone)) {
      if (remote.containsKey(local.name())) {
        continue;
      }
      List<String> addresses = LocalNodes.node(local.name())
          .map(c -> c.getBean(NodeRuntime.class).boundAddresses().stream().map(ListenAddress::format).toList())
          .orElse(List.of());
      if (addresses.stream().anyMatch(declaredAddresses::contains)) {
        continue;
      }
      localAddresses.addAll(addresses);
      out.add(local);
    }
    LocalNodes.node(self).ifPresent(c -> c.getBean(NodeRuntime.class).boundAddresses()
        .forEach(a -> localAddresses.add(ListenAddress.format(a))));
    for (NotifyTarget t : safeTargets(zone)) {
      String address = ListenAddress.format(t.address());
      if (!localAddresses.contains(address) && !declaredAddresses.contains(address) && !remote.containsKey(address)) {
        remote.put(address, new PeerConfig(address, PeerNode.Role.SECONDARY, "regional", null, true, t.address(),
            null, null, null, List.of()));
      }
    }
    remote.values().forEach(p -> out.add(p.node()));
    remoteByZone.put(zone.toString(), remote);
    return out;
  }

  private List<NotifyTarget> safeTargets(Name zone) {
    try {
      return notifyTargets.apply(zone);
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  /** Every node of this JVM but this one that serves or caches the zone, with its upstream. */
  List<PeerNode> localPeers(Name zone) {
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
        secondary.followed().stream().filter(z -> z.zone().equals(zone)).findFirst().ifPresent(z -> out.add(
            new PeerNode(n.getKey(), PeerNode.Role.SECONDARY, "regional", upstream(first(z.primaries()), byAddress), true)));
      } else if (cache.running()) {
        Optional<SubscriptionConfig> sub = cache.subscribed().stream().filter(s -> s.zone().equals(zone)).findFirst();
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

  /**
   * The "what if" advice for changing one RRset of a zone now (see {@link
   * PropagationEstimator#whatIf}): the nodes as for a commit now, with what each unsubscribed cache
   * holds of that RRset (this JVM's by inspection, other processes' over their admin API, bounded
   * by the request timeout; unknown counts as a full current TTL).
   */
  public Advice whatIf(Name zone, Name name, int type, long currentTtlMs, long loweredTtlMs) {
    List<PeerNode> peers = peers(zone);
    peersByZone.putIfAbsent(zone.toString(), peers);
    Map<String, PeerConfig> remote = remoteByZone.getOrDefault(zone.toString(), Map.of());
    Map<String, CachedCopies> cached = new HashMap<>();
    Map<String, CompletableFuture<Optional<CachedCopies>>> asked = new LinkedHashMap<>();
    for (PeerNode p : peers) {
      if (p.role() != PeerNode.Role.CACHE || p.subscribed()) {
        continue;
      }
      PeerConfig r = remote.get(p.name());
      if (r == null) {
        localCopy(p.name(), name, type, currentTtlMs).ifPresent(c -> cached.put(p.name(), c));
      } else if (r.admin() != null) {
        asked.put(p.name(), http().cachedCopy(r, name.toString(), Type.string(type), currentTtlMs));
      }
    }
    asked.forEach((node, f) -> f.join().ifPresent(c -> cached.put(node, c)));
    Instant now = clock.instant();
    return new Advice(now, tracker.estimator().whatIf(peers, cached, currentTtlMs, loweredTtlMs));
  }

  /** A node of the zone as last computed by {@link #peers}, or null. */
  public PeerNode peer(String zone, String node) {
    return peersByZone.getOrDefault(zone, List.of()).stream().filter(p -> p.name().equals(node)).findFirst().orElse(null);
  }

  /** A "what if" answer and when it was computed. */
  public record Advice(Instant at, PropagationEstimator.WhatIf whatIf) {}

  private Optional<CachedCopies> localCopy(String node, Name name, int type, long currentTtlMs) {
    return LocalNodes.node(node).map(c -> c.getBean(CacheRole.class)).filter(CacheRole::running).map(cache ->
        new CachedCopies(cache.resolver().inspect(name, type).map(e -> e.remainingTtl() * 1000).orElse(0L),
            currentTtlMs, cache.resolver().policy().staleWindow().toMillis()));
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
    if (dns != null) {
      dns.close();
    }
  }
}
