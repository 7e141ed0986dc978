package io.tierdns.bench;

import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.authoritative.acl.TransferAcl;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.wire.MessageProcessor;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.Transport;
import io.tierdns.wire.WireObserver;
import io.tierdns.wire.WireOptions;
import java.net.InetSocketAddress;
import java.util.List;
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
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A whole AXFR of the {@link BenchZone} (100,000 records by default), one operation = one
 * transfer:
 *
 * <ul>
 *   <li>{@code processorAxfr}: {@link MessageProcessor#processStream} of an AXFR query over TCP:
 *       the handler's messages cut and built one at a time, patched, and rendered by the wire
 *       layer's {@code StreamRenderer}, every frame in memory at the end;
 *   <li>{@code dnsjavaToWire}: {@code Message.toWire(65535)} of the same messages, prebuilt: what
 *       rendering them with dnsjava costs (in time that grows with the square of a message's
 *       records).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TransferBenchmark {

  @Param({"100000"})
  public int records;

  private static final QueryContext TCP =
      new QueryContext(
          Transport.TCP, new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", 53));

  private byte[] axfrQuery;
  private MessageProcessor processor;
  private List<Message> messages;

  @Setup(Level.Trial)
  public void setUp() {
    BenchZone zone = BenchZone.generate(records, 1, 1232);
    AuthoritativeHandler handler =
        new AuthoritativeHandler(
            zone.registry(), null, null, name -> TransferAcl.parse("127.0.0.0/8"), TsigKeyring.empty());
    processor = new MessageProcessor(handler, WireOptions.defaults(), WireObserver.NOOP);
    Message query = Message.newQuery(Record.newRecord(BenchZone.ORIGIN, Type.AXFR, DClass.IN));
    axfrQuery = query.toWire();
    messages = List.copyOf(handler.handleStream(query, TCP.withWire(axfrQuery)).toCompletableFuture().join().messages());
    int answers = 0;
    for (byte[] frame : processor.processStream(axfrQuery, TCP).toCompletableFuture().join()) {
      answers += ((frame[6] & 0xff) << 8) | (frame[7] & 0xff);
    }
    int expected = zone.registry().zone(BenchZone.ORIGIN).orElseThrow().size() + 1;
    if (answers != expected) {
      throw new IllegalStateException("the AXFR carried " + answers + " records, expected " + expected);
    }
  }

  @Benchmark
  public int processorAxfr() {
    int bytes = 0;
    for (byte[] frame : processor.processStream(axfrQuery, TCP).toCompletableFuture().join()) {
      bytes += frame.length;
    }
    return bytes;
  }

  @Benchmark
  public int dnsjavaToWire() {
    int bytes = 0;
    for (Message m : messages) {
      bytes += m.toWire(WireOptions.MAX_MESSAGE).length;
    }
    return bytes;
  }
}
