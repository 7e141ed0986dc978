package io.tierdns.node.cache;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.env.Environment;
import io.tierdns.cache.CachePolicy;
import io.tierdns.cache.CachingResolver;
import io.tierdns.cache.ForwardTable;
import io.tierdns.cache.MicrometerResolverObserver;
import io.tierdns.cache.SelectorPolicy;
import io.tierdns.cache.Timers;
import io.tierdns.cache.Upstream;
import io.tierdns.cache.net.DnsClientUpstream;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.authoritative.notify.NotifyScheduler;
import io.tierdns.authoritative.notify.NotifySender;
import io.tierdns.authoritative.notify.NotifyTarget;
import io.tierdns.authoritative.notify.NotifyTransport;
import io.tierdns.cache.Ticker;
import io.tierdns.edge.BoundedRead;
import io.tierdns.edge.CacheEvictor;
import io.tierdns.edge.EdgeMetrics;
import io.tierdns.edge.RelayHistory;
import io.tierdns.edge.SubscriptionConfig;
import io.tierdns.edge.SubscriptionHandler;
import io.tierdns.edge.Subscriptions;
import io.tierdns.edge.ZoneSubscription;
import io.tierdns.edge.net.DnsZoneFetcher;
import io.tierdns.edge.net.NotifySenderDownstream;
import io.tierdns.node.ListenAddress;
import io.tierdns.wire.QueryHandler;
import io.tierdns.wire.client.DnsClient;
import io.tierdns.wire.client.DnsClientOptions;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** The caching-forwarder role of a node: configuration to a {@link CachingResolver}. */
@Singleton
public class CacheRole implements AutoCloseable {

  private final CacheConfiguration config;
  private final Environment environment;
  private CachingResolver resolver;
  private QueryHandler handler;
  private BoundedRead reads;
  private ExecutorService blocking;
  private DnsClient client;
  private ScheduledExecutorService timers;
  private Subscriptions subscriptions = Subscriptions.none();
  private EdgeMetrics edgeMetrics;
  /** Per subscribed zone, what stops its NOTIFYs to the caches below ({@link #unsubscribe}). */
  private final Map<Name, Runnable> downstreamStops = new java.util.concurrent.ConcurrentHashMap<>();

  public CacheRole(CacheConfiguration config, Environment environment) {
    this.config = config;
    this.environment = environment;
  }

  /**
   * {@code self}, or with a node name the cache role of that node of this JVM; throws a 404
   * {@code ApiException} naming the nodes when there is no such running cache.
   */
  public static CacheRole of(CacheRole self, String node) {
    CacheRole role = self;
    if (node != null && !node.isBlank()) {
      role = io.tierdns.node.LocalNodes.node(node)
          .map(c -> c.getBean(CacheRole.class))
          .orElseThrow(() -> io.tierdns.node.api.ApiException.notFound(
              "no node '" + node + "' here; nodes: " + io.tierdns.node.LocalNodes.names()));
    }
    if (!role.running()) {
      throw io.tierdns.node.api.ApiException.notFound(
          (node == null ? "this node" : "node '" + node + "'") + " has no cache role; nodes here: "
              + io.tierdns.node.LocalNodes.names() + " (pass ?node=NAME)");
    }
    return role;
  }

  public boolean configured() {
    return config.configured(!forwardZones().isEmpty());
  }

  /** The resolver, once started. */
  public CachingResolver resolver() {
    if (resolver == null) {
      throw new IllegalStateException("the cache role is not running on this node");
    }
    return resolver;
  }

  public boolean running() {
    return handler != null;
  }

  public String tier() {
    return config.getTier();
  }

  /** Bounded-staleness reads at this node. */
  public BoundedRead reads() {
    if (reads == null) {
      throw new IllegalStateException("the cache role is not running on this node");
    }
    return reads;
  }

  /** The running subscription to a zone, if this cache has one (for the propagation report). */
  public java.util.Optional<ZoneSubscription> subscription(Name zone) {
    return subscriptions.of(zone);
  }

  /**
   * Builds the resolver and its zone subscriptions from the configuration; returns the DNS
   * handler. Throws IllegalArgumentException naming a bad key.
   */
  public synchronized QueryHandler start(MeterRegistry meters, String nodeName) {
    if (handler != null) {
      return handler;
    }
    if (!Set.of("local", "regional", "edge").contains(config.getTier())) {
      throw new IllegalArgumentException("tierdns.cache.tier must be local, regional or edge, not '" + config.getTier() + "'");
    }
    client = new DnsClient(DnsClientOptions.defaults());
    timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tierdns-cache-timers");
      t.setDaemon(true);
      return t;
    });
    List<Upstream> defaults = upstreams(config.getUpstreams(), "tierdns.cache.upstreams");
    Map<Name, List<Upstream>> zones = new LinkedHashMap<>();
    for (Map.Entry<Name, List<String>> e : forwardZones().entrySet()) {
      zones.put(e.getKey(), upstreams(e.getValue(), "tierdns.cache.forward-zones[" + e.getKey() + "]"));
    }
    MicrometerResolverObserver observer = new MicrometerResolverObserver(meters, "tier", config.getTier());
    resolver =
        CachingResolver.builder(new ForwardTable(defaults, zones), Timers.of(timers))
            .policy(policy())
            .selectorPolicy(selectorPolicy())
            .observer(observer)
            .build();
    observer.bind(resolver);
    blocking = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "tierdns-cache-ixfr");
      t.setDaemon(true);
      return t;
    });
    edgeMetrics = new EdgeMetrics(meters);
    List<ZoneSubscription> subs = new ArrayList<>();
    for (SubscriptionConfig sc : subscriptions()) {
      subs.add(subscription(sc));
    }
    subscriptions = new Subscriptions(subs);
    reads = new BoundedRead(nodeName, resolver, subscriptions, Ticker.system(), Timers.of(timers),
        Duration.ofMillis(20), Duration.ofSeconds(2));
    handler = subs.isEmpty() ? resolver : new SubscriptionHandler(resolver, subscriptions);
    subs.forEach(ZoneSubscription::start);
    return handler;
  }

  private ZoneSubscription subscription(SubscriptionConfig sc) {
    NotifySender sender =
        new NotifySender(
            z -> sc.subscribers().stream().map(NotifyTarget::new).toList(),
            TsigKeyring.empty(),
            NotifyTransport.udp(client),
            NotifyScheduler.of(timers, Clock.systemUTC()),
            Duration.ZERO);
    // Closed when the zone is unsubscribed: a refresh still under way then NOTIFYs nobody, and
    // the retries of earlier NOTIFYs stop (the caches below drop the zone too).
    java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);
    NotifySenderDownstream notifier = new NotifySenderDownstream(sender);
    downstreamStops.put(sc.zone().canonicalize(), () -> {
      open.set(false);
      sender.deleted(sc.zone());
    });
    return new ZoneSubscription(
        sc, new CacheEvictor(resolver), new DnsZoneFetcher(client, blocking, null, Duration.ofSeconds(5)),
        (zone, soa) -> {
          if (open.get()) {
            notifier.changed(zone, soa);
          }
        },
        new RelayHistory(sc.zone()), edgeMetrics,
        Ticker.system(), Timers.of(timers), blocking, ZoneSubscription.DEFAULT_RECHECK);
  }

  /**
   * Subscribes to one more zone while running, as if it had been in {@code subscriptions} at
   * start (under {@code up}, when the primary gains a zone). Nothing is flushed: entries of a
   * zone new to the hierarchy can only be its SERVFAILs and negative answers from before, which
   * the subscription's first refresh flushes (its baseline, see {@link ZoneSubscription}).
   *
   * @return false when the zone was subscribed already, or the cache cannot take subscriptions
   *     (it did not start with any: its handler does not route NOTIFY and IXFR to them)
   */
  public synchronized boolean subscribe(SubscriptionConfig sc) {
    if (!(handler instanceof SubscriptionHandler) || subscriptions.of(sc.zone()).isPresent()) {
      return false; // checked first: building one registers its downstream stop
    }
    ZoneSubscription sub = subscription(sc);
    subscriptions.add(sub); // synchronized with unsubscribe: nobody added it meanwhile
    sub.start();
    return true;
  }

  /**
   * Drops the subscription to a zone and every cached entry of it (under {@code up}, when the
   * primary deletes the zone): nothing of a deleted zone may be served from here any more.
   *
   * @return false when the zone was not subscribed
   */
  public synchronized boolean unsubscribe(Name zone) {
    if (resolver == null) {
      return false;
    }
    boolean had = subscriptions.remove(zone).isPresent();
    Runnable stop = downstreamStops.remove(zone.canonicalize());
    if (stop != null) {
      stop.run();
    }
    new CacheEvictor(resolver).flushZone(zone);
    return had;
  }

  /** The subscriptions running now (those configured and those added since), by zone. */
  public List<SubscriptionConfig> subscribed() {
    return subscriptions.all().stream().map(ZoneSubscription::config)
        .sorted(java.util.Comparator.comparing(SubscriptionConfig::zone)).toList();
  }

  /**
   * {@code subscriptions}: zones whose changes this cache learns by NOTIFY + IXFR from {@code
   * upstreams}, passing them on to {@code notify} (the caches below it).
   */
  public List<SubscriptionConfig> subscriptions() {
    List<SubscriptionConfig> out = new ArrayList<>();
    List<?> list = environment.getProperty("tierdns.cache.subscriptions", List.class).orElse(List.of());
    int i = 0;
    for (Object o : list) {
      String where = "tierdns.cache.subscriptions[" + i++ + "]";
      if (!(o instanceof Map<?, ?> m) || m.get("zone") == null || !(m.get("upstreams") instanceof List<?> ups)) {
        throw new IllegalArgumentException(where + ": expected {zone: NAME, upstreams: [ADDR:PORT], notify: [ADDR:PORT]}");
      }
      for (Object key : m.keySet()) {
        if (!Set.of("zone", "upstreams", "notify").contains(String.valueOf(key))) {
          throw new IllegalArgumentException("unknown configuration key " + where + "." + key);
        }
      }
      List<?> notify = m.get("notify") instanceof List<?> n ? n : List.of();
      try {
        out.add(new SubscriptionConfig(
            Name.fromString(String.valueOf(m.get("zone")), Name.root),
            ups.stream().map(u -> ListenAddress.parse(String.valueOf(u))).toList(),
            notify.stream().map(u -> ListenAddress.parse(String.valueOf(u))).toList()));
      } catch (TextParseException | IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  public CachePolicy policy() {
    CachePolicy.Builder b = CachePolicy.builder();
    if (config.getMinTtl() != null) b.minTtl(config.getMinTtl());
    if (config.getMaxTtl() != null) b.maxTtl(config.getMaxTtl());
    if (config.getNegativeMaxTtl() != null) b.negativeMaxTtl(config.getNegativeMaxTtl());
    if (config.getServeStale() != null) b.serveStale(config.getServeStale());
    if (config.getStaleAnswerTtl() != null) b.staleAnswerTtl(config.getStaleAnswerTtl());
    if (config.getMaxStale() != null) b.maxStale(config.getMaxStale());
    if (config.getClientTimeout() != null) b.clientTimeout(config.getClientTimeout());
    if (config.getStaleRefreshTime() != null) b.staleRefreshTime(config.getStaleRefreshTime());
    if (config.getServfailTtl() != null) b.servfailTtl(config.getServfailTtl());
    if (config.getPrefetchFraction() != null) b.prefetchFraction(config.getPrefetchFraction());
    if (config.getPrefetchEligibility() != null) b.prefetchEligibility(config.getPrefetchEligibility());
    if (config.getMaxSizeBytes() != null) b.maxSizeBytes(config.getMaxSizeBytes());
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tierdns.cache: " + e.getMessage(), e);
    }
  }

  public SelectorPolicy selectorPolicy() {
    SelectorPolicy d = SelectorPolicy.defaults();
    return new SelectorPolicy(
        config.getAttemptTimeout() != null ? config.getAttemptTimeout() : d.attemptTimeout(),
        config.getMaxAttempts() != null ? config.getMaxAttempts() : d.maxAttempts(),
        d.exploreProbability());
  }

  /** {@code forward-zones}: a list of {zone, upstreams}, read raw (Micronaut flattens lists). */
  public Map<Name, List<String>> forwardZones() {
    Map<Name, List<String>> out = new LinkedHashMap<>();
    List<?> list = environment.getProperty("tierdns.cache.forward-zones", List.class).orElse(List.of());
    int i = 0;
    for (Object o : list) {
      String where = "tierdns.cache.forward-zones[" + i++ + "]";
      if (!(o instanceof Map<?, ?> m) || m.get("zone") == null || !(m.get("upstreams") instanceof List<?> ups)) {
        throw new IllegalArgumentException(where + ": expected {zone: NAME, upstreams: [ADDR:PORT, ...]}");
      }
      for (Object key : m.keySet()) {
        if (!Set.of("zone", "upstreams").contains(String.valueOf(key))) {
          throw new IllegalArgumentException("unknown configuration key " + where + "." + key);
        }
      }
      try {
        out.put(Name.fromString(String.valueOf(m.get("zone")), Name.root), ups.stream().map(String::valueOf).toList());
      } catch (TextParseException e) {
        throw new IllegalArgumentException(where + ": invalid zone name '" + m.get("zone") + "'");
      }
    }
    return out;
  }

  private List<Upstream> upstreams(List<String> specs, String where) {
    List<Upstream> out = new ArrayList<>();
    for (String spec : specs) {
      try {
        out.add(DnsClientUpstream.parse(client, spec));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  @Override
  @PreDestroy
  public synchronized void close() {
    if (timers != null) {
      timers.shutdownNow();
    }
    if (blocking != null) {
      blocking.shutdownNow();
    }
    if (client != null) {
      client.close();
    }
  }
}
