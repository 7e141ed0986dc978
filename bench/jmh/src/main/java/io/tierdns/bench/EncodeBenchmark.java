package io.tierdns.bench;

import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.wire.MessageProcessor;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.Transport;
import io.tierdns.wire.WireObserver;
import io.tierdns.wire.WireOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.Message;

/**
 * Response encoding, and what the wire layer's packet cache saves. On the authoritative answers
 * of the query mix ({@link BenchZone}):
 *
 * <ul>
 *   <li>{@code dnsjavaToWire}: {@code Message.toWire(512)} of a prebuilt response, the rendering
 *       a packet-cache miss pays;
 *   <li>{@code dnsjavaParse}: {@code new Message(bytes)} of a query, the parse a miss pays;
 *   <li>{@code processorPacketCacheHit}: {@link MessageProcessor#process} with the packet cache
 *       warm: key from the raw bytes, copy, ID and name case patched, no parse and no handler;
 *   <li>{@code processorNoPacketCache}: the same call with the packet cache off: parse, checks,
 *       {@link AuthoritativeHandler}, encode, i.e. the whole per-query cost of a miss.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EncodeBenchmark {

  @Param({"100000"})
  public int records;

  /**
   * Distinct questions asked in turn (a power of two). 16,384 answers fit in the CPU's caches;
   * 131,072, about the bench's query file (97,000 distinct questions), do not, so each packet
   * cache hit pays the memory latency of its pointers, as it does under dnsperf.
   */
  @Param({"16384", "131072"})
  public int queries;
  private static final QueryContext UDP =
      new QueryContext(
          Transport.UDP, new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", 53));

  private int mask;
  private byte[][] queryWires;
  private Message[] responses;
  private MessageProcessor withPacketCache;
  private MessageProcessor withoutPacketCache;

  @Setup(Level.Trial)
  public void setUp() {
    BenchZone zone = BenchZone.generate(records, queries, 1232);
    AuthoritativeHandler handler = new AuthoritativeHandler(zone.registry());
    if (Integer.bitCount(queries) != 1) {
      throw new IllegalArgumentException("queries must be a power of two, got " + queries);
    }
    mask = queries - 1;
    queryWires = new byte[queries][];
    responses = new Message[queries];
    for (int i = 0; i < queries; i++) {
      Message query = zone.questions.get(i).query();
      queryWires[i] = query.toWire();
      responses[i] = handler.respond(query, Transport.UDP);
    }
    withPacketCache = new MessageProcessor(handler, WireOptions.defaults(), WireObserver.NOOP);
    withoutPacketCache =
        new MessageProcessor(handler, WireOptions.defaults().withPacketCacheBytes(0), WireObserver.NOOP);
    int answered = 0;
    for (byte[] wire : queryWires) { // fills the packet cache
      if (withPacketCache.process(wire, UDP).toCompletableFuture().join() != null) {
        answered++;
      }
    }
    if (answered != queries) {
      throw new IllegalStateException("only " + answered + " of " + queries + " queries answered");
    }
  }

  @State(Scope.Thread)
  public static class Cursor {
    int next;

    int advance(int mask) {
      next = (next + 1) & mask;
      return next;
    }
  }

  @Benchmark
  public byte[] dnsjavaToWire(Cursor c) {
    return responses[c.advance(mask)].toWire(512);
  }

  @Benchmark
  public Message dnsjavaParse(Cursor c) throws IOException {
    return new Message(queryWires[c.advance(mask)]);
  }

  @Benchmark
  public byte[] processorPacketCacheHit(Cursor c) {
    return withPacketCache.process(queryWires[c.advance(mask)], UDP).toCompletableFuture().join();
  }

  /** The batch size of {@link #processorPacketCacheHitBatch}: about what one recvmmsg reads. */
  private static final int BATCH = 8;

  private final byte[][] batchWires = new byte[BATCH][];
  private final QueryContext[] batchContexts = new QueryContext[BATCH];

  private final Object[] batchResults = new Object[BATCH];

  /** Per query: eight hits looked up together, as the UDP listener does with a read batch. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object[] processorPacketCacheHitBatch(Cursor c) {
    for (int i = 0; i < BATCH; i++) {
      batchWires[i] = queryWires[c.advance(mask)];
      batchContexts[i] = UDP;
    }
    withPacketCache.process(batchWires, batchContexts, BATCH, batchResults);
    return batchResults;
  }

  @Benchmark
  public byte[] processorNoPacketCache(Cursor c) {
    return withoutPacketCache.process(queryWires[c.advance(mask)], UDP).toCompletableFuture().join();
  }
}
