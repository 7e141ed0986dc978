package io.tierdns.bench;

import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.authoritative.LookupResult;
import io.tierdns.authoritative.ZoneLookup;
import io.tierdns.wire.Transport;
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
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * The authoritative lookup on a generated zone ({@link BenchZone}, the query mix of issue 8):
 * {@link ZoneLookup#lookup} alone (the RFC 1034 §4.3.2 algorithm on one snapshot), and {@link
 * AuthoritativeHandler#respond}, which adds finding the zone, CNAME chasing, the authority and
 * additional sections and building the dnsjava response. Each invocation answers the next
 * question of the mix, so a score is the mean over the mix.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LookupBenchmark {

  /** Zone size in records. */
  @Param({"100000"})
  public int records;

  private static final int QUERIES = 1 << 14;

  private BenchZone zone;
  private Name[] names;
  private int[] types;
  private Message[] queries;
  private AuthoritativeHandler handler;

  @Setup(Level.Trial)
  public void setUp() {
    zone = BenchZone.generate(records, QUERIES, 1232);
    names = new Name[QUERIES];
    types = new int[QUERIES];
    queries = new Message[QUERIES];
    for (int i = 0; i < QUERIES; i++) {
      names[i] = zone.questions.get(i).name();
      types[i] = zone.questions.get(i).type();
      queries[i] = zone.questions.get(i).query();
    }
    handler = new AuthoritativeHandler(zone.registry());
  }

  /** The next question, per thread. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    int advance() {
      next = (next + 1) & (QUERIES - 1);
      return next;
    }
  }

  @Benchmark
  public LookupResult zoneLookup(Cursor c) {
    int i = c.advance();
    return ZoneLookup.lookup(zone.snapshot, names[i], types[i]);
  }

  @Benchmark
  public Message handlerRespond(Cursor c) {
    return handler.respond(queries[c.advance()], Transport.UDP);
  }
}
