package io.tierdns.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers whose TTLs age ({@link QueryHandler#replaySeconds} above 0), as a cache gives them:
 * replayed with every TTL counted down by the whole seconds since they were stored, never past
 * the handler's replay time or the smallest TTL, and never when the handler says 0.
 */
class AgingPacketCacheTest {

  private static final QueryContext UDP =
      new QueryContext(
          Transport.UDP, new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress(53));
  private static final long SECOND = 1_000_000_000L;
  private static final Name WWW = Name.fromConstantString("www.example.test.");
  private static final Name ALIAS = Name.fromConstantString("alias.example.test.");

  private final AtomicLong nanos = new AtomicLong(123 * SECOND);
  private final AtomicInteger handled = new AtomicInteger();
  private final AtomicInteger replayed = new AtomicInteger();
  private volatile int replay = 100;
  private volatile long aTtl = 300;

  /** A cache-like handler: alias CNAME (TTL 3600) to www A (TTL {@link #aTtl}). */
  private final QueryHandler handler =
      new QueryHandler() {
        @Override
        public CompletionStage<Message> handle(Message q, QueryContext c) {
          handled.incrementAndGet();
          Message r = Responses.reply(q);
          r.getHeader().setFlag(Flags.RA);
          r.addRecord(new CNAMERecord(ALIAS, DClass.IN, 3600, WWW), Section.ANSWER);
          r.addRecord(a(WWW, aTtl), Section.ANSWER);
          return CompletableFuture.completedFuture(r);
        }

        @Override
        public long cacheGeneration() {
          return 7;
        }

        @Override
        public int replaySeconds(Message query, Message response) {
          return replay;
        }

        @Override
        public void replayed() {
          replayed.incrementAndGet();
        }
      };

  private final MessageProcessor processor =
      new MessageProcessor(
          handler, WireOptions.defaults(), WireObserver.NOOP, null, nanos::get);

  @Test
  void aHitCountsEveryTtlDownByTheWholeSecondsSinceItWasStored() throws IOException {
    assertThat(ttls(ask(plainQuery()))).containsExactly(3600L, 300L);
    nanos.addAndGet(SECOND / 2);
    assertThat(ttls(ask(plainQuery()))).containsExactly(3600L, 300L);
    nanos.addAndGet(SECOND);
    assertThat(ttls(ask(plainQuery()))).containsExactly(3599L, 299L);
    nanos.addAndGet(98 * SECOND);
    assertThat(ttls(ask(plainQuery()))).containsExactly(3501L, 201L);
    assertThat(handled).hasValue(1);
    assertThat(replayed).as("the handler is told of every replayed answer").hasValue(3);
  }

  @Test
  void theAnswerIsAskedForAgainOnceTheReplayTimeIsOver() throws IOException {
    ask(plainQuery());
    nanos.addAndGet(100 * SECOND - 1);
    ask(plainQuery());
    assertThat(handled).hasValue(1);
    nanos.addAndGet(1);
    assertThat(ttls(ask(plainQuery()))).containsExactly(3600L, 300L);
    assertThat(handled).hasValue(2);
  }

  @Test
  void neverPastTheSmallestTtlWhateverTheHandlerSays() throws IOException {
    aTtl = 5;
    replay = Integer.MAX_VALUE;
    ask(plainQuery());
    nanos.addAndGet(4 * SECOND);
    assertThat(ttls(ask(plainQuery()))).containsExactly(3596L, 1L);
    nanos.addAndGet(SECOND);
    ask(plainQuery());
    assertThat(handled).hasValue(2);
  }

  @Test
  void aZeroTtlOrAZeroReplayTimeIsNeverStored() {
    aTtl = 0;
    ask(plainQuery());
    ask(plainQuery());
    assertThat(handled).hasValue(2);
    aTtl = 300;
    replay = 0;
    ask(plainQuery());
    ask(plainQuery());
    assertThat(handled).hasValue(4);
  }

  @Test
  void theOptRecordIsNotAged() throws IOException {
    Message query = Message.newQuery(Record.newRecord(ALIAS, Type.A, DClass.IN));
    query.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    ask(query.toWire());
    nanos.addAndGet(10 * SECOND);
    Message hit = new Message(ask(query.toWire()));
    assertThat(ttls(hit.toWire())).containsExactly(3590L, 290L);
    OPTRecord opt = hit.getOPT();
    assertThat(opt.getFlags() & ExtendedFlags.DO).isEqualTo(ExtendedFlags.DO);
    assertThat(opt.getVersion()).isZero();
    assertThat(opt.getExtendedRcode()).isZero();
    assertThat(handled).hasValue(1);
  }

  @Test
  void ttlOffsetsSkipTheOptAndQuestion() {
    Message m = Message.newQuery(Record.newRecord(ALIAS, Type.A, DClass.IN));
    m.addRecord(new CNAMERecord(ALIAS, DClass.IN, 3600, WWW), Section.ANSWER);
    m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    byte[] wire = m.toWire();
    int[] offsets = PacketCache.ttlOffsets(wire);
    assertThat(offsets).hasSize(1);
    assertThat(((wire[offsets[0]] & 0xFF) << 24 | (wire[offsets[0] + 1] & 0xFF) << 16
            | (wire[offsets[0] + 2] & 0xFF) << 8 | (wire[offsets[0] + 3] & 0xFF)))
        .isEqualTo(3600);
    assertThat(PacketCache.ttlOffsets(java.util.Arrays.copyOf(wire, wire.length - 3))).isNull();
  }

  private byte[] plainQuery() {
    return Message.newQuery(Record.newRecord(ALIAS, Type.A, DClass.IN)).toWire();
  }

  private byte[] ask(byte[] wire) {
    return processor.process(wire, UDP).toCompletableFuture().join();
  }

  private static java.util.List<Long> ttls(byte[] response) throws IOException {
    return new Message(response).getSection(Section.ANSWER).stream().map(Record::getTTL).toList();
  }

  private static ARecord a(Name name, long ttl) {
    try {
      return new ARecord(name, DClass.IN, ttl, InetAddress.getByAddress(new byte[] {10, 0, 0, 1}));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
