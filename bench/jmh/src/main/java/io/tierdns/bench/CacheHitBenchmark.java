package io.tierdns.bench;

import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.cache.CacheKey;
import io.tierdns.cache.CacheLookup;
import io.tierdns.cache.CachingResolver;
import io.tierdns.cache.ForwardTable;
import io.tierdns.cache.Timers;
import io.tierdns.cache.Upstream;
import io.tierdns.wire.MessageProcessor;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.Transport;
import io.tierdns.wire.WireObserver;
import io.tierdns.wire.WireOptions;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.Message;

/**
 * A resolver-cache hit. The upstream is an in-process {@link AuthoritativeHandler} serving the
 * generated zone ({@link BenchZone}); the cache is warmed with the query mix minus referrals (a
 * forwarder does not cache a delegation as an answer), and every measured question is checked to
 * be a fresh hit before measuring. Three depths:
 *
 * <ul>
 *   <li>{@code rrsetCacheLookup}: {@link io.tierdns.cache.RRsetCache#lookup} alone;
 *   <li>{@code resolverHandle}: {@link CachingResolver#handle}, lookup plus building the answer
 *       with TTLs counted down;
 *   <li>{@code processorCacheHit}: {@link MessageProcessor#process} over the resolver as a node
 *       runs it: the packet cache replays the encoded answer with its TTLs counted down;
 *   <li>{@code processorNoPacketCache}: the same with the packet cache off: parse, checks,
 *       handle and encode, what every cache hit cost before the packet cache served caches.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CacheHitBenchmark {

  @Param({"100000"})
  public int records;

  private static final int QUERIES = 1 << 14;
  private static final QueryContext UDP =
      new QueryContext(
          Transport.UDP, new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", 53));

  private ScheduledExecutorService timerThread;
  private CachingResolver resolver;
  private MessageProcessor processor;
  private MessageProcessor withoutPacketCache;
  private CacheKey[] keys;
  private Message[] queries;
  private byte[][] queryWires;

  @Setup(Level.Trial)
  public void setUp() {
    BenchZone zone = BenchZone.generate(records, 2 * QUERIES, 1232);
    AuthoritativeHandler authoritative = new AuthoritativeHandler(zone.registry());
    Upstream upstream =
        new Upstream() {
          @Override
          public String name() {
            return "in-process";
          }

          @Override
          public CompletionStage<Message> query(Message query, Transport transport) {
            return CompletableFuture.completedFuture(authoritative.respond(query, transport));
          }
        };
    timerThread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cache-timers");
              t.setDaemon(true);
              return t;
            });
    resolver = CachingResolver.builder(ForwardTable.of(upstream), Timers.of(timerThread)).build();
    processor = new MessageProcessor(resolver, WireOptions.defaults(), WireObserver.NOOP);
    withoutPacketCache =
        new MessageProcessor(
            resolver, WireOptions.defaults().withPacketCacheBytes(0), WireObserver.NOOP);
    List<Message> hits = new ArrayList<>();
    for (BenchZone.Question q : zone.questions) {
      if (hits.size() == QUERIES) {
        break;
      }
      Message query = q.query();
      resolver.handle(query, UDP).toCompletableFuture().join();
      CacheLookup lookup = resolver.cache().lookup(CacheKey.of(query));
      if (lookup.isFresh()) {
        hits.add(query);
      }
    }
    if (hits.size() < QUERIES) {
      throw new IllegalStateException("only " + hits.size() + " cacheable questions");
    }
    keys = new CacheKey[QUERIES];
    queries = new Message[QUERIES];
    queryWires = new byte[QUERIES][];
    for (int i = 0; i < QUERIES; i++) {
      queries[i] = hits.get(i);
      keys[i] = CacheKey.of(queries[i]);
      queryWires[i] = queries[i].toWire();
    }
    long misses = resolver.counters().misses();
    for (Message query : queries) {
      resolver.handle(query, UDP).toCompletableFuture().join();
    }
    if (resolver.counters().misses() != misses) {
      throw new IllegalStateException("the warm set still misses");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    timerThread.shutdownNow();
  }

  @State(Scope.Thread)
  public static class Cursor {
    int next;

    int advance() {
      next = (next + 1) & (QUERIES - 1);
      return next;
    }
  }

  @Benchmark
  public CacheLookup rrsetCacheLookup(Cursor c) {
    return resolver.cache().lookup(keys[c.advance()]);
  }

  @Benchmark
  public Message resolverHandle(Cursor c) {
    return resolver.handle(queries[c.advance()], UDP).toCompletableFuture().join();
  }

  @Benchmark
  public byte[] processorCacheHit(Cursor c) {
    return processor.process(queryWires[c.advance()], UDP).toCompletableFuture().join();
  }

  @Benchmark
  public byte[] processorNoPacketCache(Cursor c) {
    return withoutPacketCache.process(queryWires[c.advance()], UDP).toCompletableFuture().join();
  }
}
