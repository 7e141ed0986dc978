package io.tierdns.wire;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Rcode;

/**
 * Publishes {@link WireObserver} events as Micrometer meters, all prefixed {@code wire.}:
 *
 * <ul>
 *   <li>{@code wire.queries{transport}}: packets and frames received;
 *   <li>{@code wire.responses{transport,rcode}}: responses sent, rcode as its mnemonic;
 *   <li>{@code wire.response.size{transport}}: distribution of response sizes in bytes;
 *   <li>{@code wire.truncated{transport}}: responses sent with TC set;
 *   <li>{@code wire.dropped{transport,reason}}: packets answered with silence;
 *   <li>{@code wire.formerr{transport}}: FORMERR produced by the wire layer itself;
 *   <li>{@code wire.packetcache.hits{transport}}, {@code wire.packetcache.misses{transport}}:
 *       queries answered from the packet cache, and cacheable queries that were not in it;
 *   <li>{@code wire.tcp.connections}: gauge of open TCP connections;
 *   <li>{@code wire.tcp.connections.opened}, {@code wire.tcp.connections.refused}: counters;
 *   <li>{@code wire.tcp.connections.refused.client}: connections refused by the per-client cap;
 *   <li>{@code wire.rrl.dropped}, {@code wire.rrl.slipped}: UDP responses that response rate
 *       limiting dropped, or sent truncated instead.
 * </ul>
 *
 * Meters are created once and cached, so the hot path does no registry look-up.
 */
public final class MicrometerWireObserver implements WireObserver {

  private final MeterRegistry registry;
  private final Map<Transport, Counter> queries = new EnumMap<>(Transport.class);
  private final Map<Transport, Counter> truncated = new EnumMap<>(Transport.class);
  private final Map<Transport, Counter> formErr = new EnumMap<>(Transport.class);
  private final Map<Transport, Counter> cacheHits = new EnumMap<>(Transport.class);
  private final Map<Transport, Counter> cacheMisses = new EnumMap<>(Transport.class);
  private final Map<Transport, DistributionSummary> sizes = new EnumMap<>(Transport.class);
  private final Map<Transport, Map<Integer, Counter>> responses = new EnumMap<>(Transport.class);
  private final Map<Transport, Map<DropReason, Counter>> dropped = new EnumMap<>(Transport.class);
  private final AtomicInteger openConnections = new AtomicInteger();
  private final Counter opened;
  private final Counter refused;
  private final Counter refusedPerClient;
  private final Counter rrlDropped;
  private final Counter rrlSlipped;

  public MicrometerWireObserver(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    for (Transport t : Transport.values()) {
      String tag = tag(t);
      queries.put(t, Counter.builder("wire.queries").tag("transport", tag).register(registry));
      truncated.put(t, Counter.builder("wire.truncated").tag("transport", tag).register(registry));
      formErr.put(t, Counter.builder("wire.formerr").tag("transport", tag).register(registry));
      cacheHits.put(
          t, Counter.builder("wire.packetcache.hits").tag("transport", tag).register(registry));
      cacheMisses.put(
          t, Counter.builder("wire.packetcache.misses").tag("transport", tag).register(registry));
      sizes.put(
          t,
          DistributionSummary.builder("wire.response.size")
              .baseUnit("bytes")
              .tag("transport", tag)
              .register(registry));
      responses.put(t, new ConcurrentHashMap<>());
      Map<DropReason, Counter> drops = new EnumMap<>(DropReason.class);
      for (DropReason reason : DropReason.values()) {
        drops.put(
            reason,
            Counter.builder("wire.dropped")
                .tag("transport", tag)
                .tag("reason", reason.tag())
                .register(registry));
      }
      dropped.put(t, drops);
    }
    Gauge.builder("wire.tcp.connections", openConnections, AtomicInteger::get)
        .description("open TCP connections")
        .register(registry);
    opened = Counter.builder("wire.tcp.connections.opened").register(registry);
    refused = Counter.builder("wire.tcp.connections.refused").register(registry);
    refusedPerClient = Counter.builder("wire.tcp.connections.refused.client").register(registry);
    rrlDropped = Counter.builder("wire.rrl.dropped").register(registry);
    rrlSlipped = Counter.builder("wire.rrl.slipped").register(registry);
  }

  private static String tag(Transport t) {
    return t == Transport.UDP ? "udp" : "tcp";
  }

  @Override
  public void queryReceived(Transport transport) {
    queries.get(transport).increment();
  }

  @Override
  public void responseSent(Transport transport, int rcode, int bytes, boolean isTruncated) {
    responses
        .get(transport)
        .computeIfAbsent(
            rcode,
            r ->
                Counter.builder("wire.responses")
                    .tag("transport", tag(transport))
                    .tag("rcode", Rcode.string(r))
                    .register(registry))
        .increment();
    sizes.get(transport).record(bytes);
    if (isTruncated) {
      truncated.get(transport).increment();
    }
  }

  @Override
  public void dropped(Transport transport, DropReason reason) {
    dropped.get(transport).get(reason).increment();
  }

  @Override
  public void formErr(Transport transport) {
    formErr.get(transport).increment();
  }

  @Override
  public void packetCacheHit(Transport transport) {
    cacheHits.get(transport).increment();
  }

  @Override
  public void packetCacheMiss(Transport transport) {
    cacheMisses.get(transport).increment();
  }

  @Override
  public void tcpConnectionOpened() {
    openConnections.incrementAndGet();
    opened.increment();
  }

  @Override
  public void tcpConnectionClosed() {
    openConnections.decrementAndGet();
  }

  @Override
  public void tcpConnectionRefused() {
    refused.increment();
  }

  @Override
  public void tcpClientConnectionRefused() {
    refusedPerClient.increment();
  }

  @Override
  public void rrlDropped() {
    rrlDropped.increment();
  }

  @Override
  public void rrlSlipped() {
    rrlSlipped.increment();
  }
}
