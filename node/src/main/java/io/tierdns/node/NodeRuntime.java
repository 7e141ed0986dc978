package io.tierdns.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.node.cache.CacheRole;
import io.tierdns.node.secondary.SecondaryRole;
import io.tierdns.wire.DnsServer;
import io.tierdns.wire.QueryHandler;
import io.tierdns.wire.MicrometerWireObserver;
import io.tierdns.wire.WireOptions;
import jakarta.annotation.PreDestroy;
import java.net.InetSocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: the DNS listeners and the roles behind them. {@link #start()} is called once by
 * the CLI after the configuration has been validated; {@link #close()} runs on shutdown.
 */
@Context
public class NodeRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodeRuntime.class);

  private final NodeConfiguration config;
  private final NodeConfiguration.Wire wire;
  private final AuthoritativeRole authoritative;
  private final CacheRole cache;
  private final SecondaryRole secondary;
  private final MeterRegistry meters;
  private final io.micronaut.context.BeanContext context;
  private DnsServer server;

  public NodeRuntime(
      NodeConfiguration config,
      NodeConfiguration.Wire wire,
      AuthoritativeRole authoritative,
      CacheRole cache,
      SecondaryRole secondary,
      MeterRegistry meters,
      io.micronaut.context.BeanContext context) {
    this.config = config;
    this.wire = wire;
    this.authoritative = authoritative;
    this.cache = cache;
    this.secondary = secondary;
    this.meters = meters;
    this.context = context;
  }

  /** Loads zones and binds the DNS listeners. */
  public synchronized void start() {
    if (server != null) {
      return;
    }
    List<InetSocketAddress> listen = config.getListen().stream().map(ListenAddress::parse).toList();
    if (!authoritative.configured() && !cache.configured() && !secondary.configured()) {
      throw new IllegalStateException(
          "no role configured: set tierdns.authoritative.zone-directory, tierdns.secondary.zones or tierdns.cache.upstreams");
    }
    if (authoritative.configured() && secondary.configured()) {
      throw new IllegalStateException(
          "a node is a primary (tierdns.authoritative) or a secondary (tierdns.secondary), not both; run two nodes");
    }
    QueryHandler handler = null;
    ZoneRegistry zones = authoritative.registry();
    if (authoritative.configured()) {
      authoritative.start();
      handler = authoritative.handler(meters);
    }
    if (secondary.configured()) {
      handler = secondary.start(meters);
      zones = secondary.registry();
    }
    if (cache.configured()) {
      QueryHandler resolver = cache.start(meters, config.getNodeName());
      handler = handler == null ? resolver : new ZoneRouter(zones, handler, resolver);
    }
    WireOptions options =
        new WireOptions(
            wire.getUdpPayloadSize(),
            wire.getTcpIdleTimeout(),
            wire.getTcpMaxConnections(),
            wire.getTcpMaxInFlightPerConnection(),
            wire.getIoThreads() == 0 ? Runtime.getRuntime().availableProcessors() : wire.getIoThreads(),
            wire.getPacketCacheBytes(),
            wire.getTcpMaxConnectionsPerClient(),
            wire.getRrlResponsesPerSecond(),
            wire.getRrlSlip(),
            wire.getRrlTableSize(),
            wire.isCookies());
    server =
        new DnsServer(
            listen,
            handler,
            options,
            new MicrometerWireObserver(meters));
    server.start();
    LocalNodes.register(config.getNodeName(), context);
    for (InetSocketAddress address : server.boundAddresses()) {
      LOG.info("node={} listening on udp+tcp {}", config.getNodeName(), ListenAddress.format(address));
    }
  }

  /** The addresses the DNS listeners are bound to (actual ports when 0 was configured). */
  public List<InetSocketAddress> boundAddresses() {
    return server == null ? List.of() : server.boundAddresses();
  }

  @Override
  @PreDestroy
  public synchronized void close() {
    if (server != null) {
      LocalNodes.unregister(config.getNodeName(), context);
      server.close();
      server = null;
    }
  }
}
