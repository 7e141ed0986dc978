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
import io.tierdns.wire.client.DnsClient;
import io.tierdns.wire.client.DnsClientOptions;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  private DnsClient client;
  private ScheduledExecutorService timers;

  public CacheRole(CacheConfiguration config, Environment environment) {
    this.config = config;
    this.environment = environment;
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
    return resolver != null;
  }

  public String tier() {
    return config.getTier();
  }

  /** Builds the resolver from the configuration; throws IllegalArgumentException naming a bad key. */
  public synchronized CachingResolver start(MeterRegistry meters) {
    if (resolver != null) {
      return resolver;
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
    return resolver;
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
    if (client != null) {
      client.close();
    }
  }
}
