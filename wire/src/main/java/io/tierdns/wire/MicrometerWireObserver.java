package io.tierdns.wire;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.Rcode;

/**
 * Publishes {@link WireObserver} events as Micrometer meters, all prefixed {@code wire.}:
 *
 * <ul>
 *   <li>{@code wire.queries{transport}}: packets and frames received;
 *   <li>{@code wire.responses{transport,rcode}}: responses sent, rcode as its mnemonic;
 *   <li>{@code wire.response.bytes{transport}}: bytes of the responses sent (their mean size is
 *       this over {@code wire.responses});
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
 * Meters are created once and cached, so the hot path does no registry look-up. The meters of
 * every answer (queries, responses, bytes, truncated, packet-cache hits and misses) are {@link
 * LongAdder}s of this class read by function counters when the meters are scraped: a Micrometer
 * counter in Micronaut's composite registry walks its child meters on every increment, and a
 * distribution summary reads the clock for its maximum, together about 3 % of a busy UDP
 * listener's CPU (docs/benchmarks.md).
 */
public final class MicrometerWireObserver implements WireObserver {

  private final MeterRegistry registry;
  /** Indexed by {@link Transport#ordinal()}. */
  private final LongAdder[] queries = adders();

  private final LongAdder[] truncated = adders();
  private final LongAdder[] cacheHits = adders();
  private final LongAdder[] cacheMisses = adders();
  private final LongAdder[] responseBytes = adders();

  /** Per transport, by rcode (0 to {@link #MAX_RCODE}); created with its meter when first sent. */
  private final AtomicReferenceArray<LongAdder>[] responses;

  private static final int MAX_RCODE = 0xFFF; // 12 bits: 4 in the header, 8 in the OPT record

  private final Map<Transport, Counter> formErr = new EnumMap<>(Transport.class);
  private final Map<Transport, Map<DropReason, Counter>> dropped = new EnumMap<>(Transport.class);
  private final AtomicInteger openConnections = new AtomicInteger();
  private final Counter opened;
  private final Counter refused;
  private final Counter refusedPerClient;
  private final Counter rrlDropped;
  private final Counter rrlSlipped;

  @SuppressWarnings("unchecked")
  public MicrometerWireObserver(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    responses = new AtomicReferenceArray[Transport.values().length];
    for (Transport t : Transport.values()) {
      String tag = tag(t);
      int i = t.ordinal();
      responses[i] = new AtomicReferenceArray<>(MAX_RCODE + 1);
      register("wire.queries", queries[i], "transport", tag);
      register("wire.truncated", truncated[i], "transport", tag);
      register("wire.packetcache.hits", cacheHits[i], "transport", tag);
      register("wire.packetcache.misses", cacheMisses[i], "transport", tag);
      FunctionCounter.builder("wire.response.bytes", responseBytes[i], LongAdder::sum)
          .baseUnit("bytes")
          .tag("transport", tag)
          .register(registry);
      formErr.put(t, Counter.builder("wire.formerr").tag("transport", tag).register(registry));
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

  private static LongAdder[] adders() {
    LongAdder[] adders = new LongAdder[Transport.values().length];
    for (int i = 0; i < adders.length; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }

  /** The registry holds {@code adder} weakly; this observer's fields keep it. */
  private void register(String name, LongAdder adder, String... tags) {
    FunctionCounter.builder(name, adder, LongAdder::sum).tags(tags).register(registry);
  }

  /** The counter of responses with {@code rcode}, made and registered the first time. */
  private LongAdder responses(Transport transport, int rcode) {
    AtomicReferenceArray<LongAdder> byRcode = responses[transport.ordinal()];
    int index = rcode & MAX_RCODE;
    LongAdder adder = byRcode.get(index);
    if (adder != null) {
      return adder;
    }
    synchronized (byRcode) {
      adder = byRcode.get(index);
      if (adder == null) {
        adder = new LongAdder();
        register("wire.responses", adder, "transport", tag(transport), "rcode", Rcode.string(index));
        byRcode.set(index, adder);
      }
      return adder;
    }
  }

  @Override
  public void queryReceived(Transport transport) {
    queries[transport.ordinal()].increment();
  }

  @Override
  public void responseSent(Transport transport, int rcode, int bytes, boolean isTruncated) {
    responses(transport, rcode).increment();
    int i = transport.ordinal();
    responseBytes[i].add(bytes);
    if (isTruncated) {
      truncated[i].increment();
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
    cacheHits[transport.ordinal()].increment();
  }

  @Override
  public void packetCacheMiss(Transport transport) {
    cacheMisses[transport.ordinal()].increment();
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
