package io.tierdns.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/** The packet cache as {@link MessageProcessor} uses it: hits, patching, invalidation, bypass. */
class PacketCacheTest {

  private static final QueryContext UDP = MessageProcessorTest.UDP;
  private static final QueryContext TCP = MessageProcessorTest.TCP;

  private final AtomicInteger handled = new AtomicInteger();
  private final AtomicLong generation = new AtomicLong(1);
  private volatile int addresses = 1;

  /** Answers {@link #addresses} A records for the question, data of {@link #generation}. */
  private final QueryHandler handler =
      new QueryHandler() {
        @Override
        public CompletionStage<Message> handle(Message q, QueryContext c) {
          handled.incrementAndGet();
          Message r = Responses.reply(q);
          r.getHeader().setFlag(Flags.AA);
          for (int i = 1; i <= addresses; i++) {
            r.addRecord(
                MessageProcessorTest.a(q.getQuestion().getName(), (int) generation.get() * 100 + i),
                Section.ANSWER);
          }
          return CompletableFuture.completedFuture(r);
        }

        @Override
        public long cacheGeneration() {
          return generation.get();
        }
      };

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private MessageProcessor processor =
      new MessageProcessor(handler, WireOptions.defaults(), new MicrometerWireObserver(meters));

  @Test
  void repeatedQueryIsAnsweredFromTheCacheWithItsOwnId() throws IOException {
    Message first = MessageProcessorTest.query("www.example.test.", Type.A);
    byte[] a = process(first.toWire(), UDP);
    Message second = MessageProcessorTest.query("www.example.test.", Type.A);
    byte[] b = process(second.toWire(), UDP);
    assertThat(handled).hasValue(1);
    assertThat(new Message(b).getHeader().getID()).isEqualTo(second.getHeader().getID());
    assertThat(Arrays.copyOfRange(b, 2, b.length)).isEqualTo(Arrays.copyOfRange(a, 2, a.length));
    assertThat(counter("wire.packetcache.hits")).isEqualTo(1.0);
    assertThat(counter("wire.packetcache.misses")).isEqualTo(1.0);
    assertThat(meters.get("wire.responses").tag("rcode", "NOERROR").functionCounter().count())
        .isEqualTo(2.0);
  }

  @Test
  void aHitIsByteForByteWhatTheHandlerPathSendsForTheSameQuery() {
    process(MessageProcessorTest.query("www.example.test.", Type.A).toWire(), UDP); // fills
    Message mixed = MessageProcessorTest.query("wWw.ExAmple.TEST.", Type.A);
    byte[] hit = process(mixed.toWire(), UDP);
    MessageProcessor uncached =
        new MessageProcessor(
            handler, WireOptions.defaults().withPacketCacheBytes(0), WireObserver.NOOP);
    byte[] fresh = uncached.process(mixed.toWire(), UDP).toCompletableFuture().join();
    assertThat(handled).hasValue(2);
    assertThat(hit).isEqualTo(fresh);
  }

  @Test
  void questionAndAnswerOwnerGoBackInTheQuerysLetterCase() throws IOException {
    process(MessageProcessorTest.query("www.example.test.", Type.A).toWire(), UDP);
    byte[] hit = process(MessageProcessorTest.query("WwW.eXample.Test.", Type.A).toWire(), UDP);
    Message m = new Message(hit);
    assertThat(m.getQuestion().getName().toString()).isEqualTo("WwW.eXample.Test.");
    assertThat(m.getSection(Section.ANSWER).get(0).getName().toString())
        .isEqualTo("WwW.eXample.Test.");
    assertThat(handled).hasValue(1);
  }

  @Test
  void aNewGenerationIsAnsweredWithTheNewData() throws IOException {
    byte[] query = MessageProcessorTest.query("www.example.test.", Type.A).toWire();
    process(query, UDP);
    process(query, UDP);
    generation.set(2);
    Message after = new Message(process(query, UDP));
    assertThat(((ARecord) after.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress())
        .isEqualTo("10.0.0.201");
    assertThat(handled).hasValue(2);
    process(query, UDP);
    assertThat(handled).hasValue(2);
  }

  @Test
  void handlerWithoutAGenerationIsNeverCached() {
    QueryHandler plain = (q, c) -> handler.handle(q, c);
    processor = new MessageProcessor(plain, WireOptions.defaults(), new MicrometerWireObserver(meters));
    byte[] query = MessageProcessorTest.query("www.example.test.", Type.A).toWire();
    process(query, UDP);
    process(query, UDP);
    assertThat(handled).hasValue(2);
    assertThat(counter("wire.packetcache.misses")).isZero();
  }

  @Test
  void udpAndTcpEdnsAndPlainDoAndPayloadAreCachedApart() throws IOException {
    addresses = 60; // 60 A records: 1,000+ bytes, truncated at 512
    byte[] plain = MessageProcessorTest.query("big.example.test.", Type.A).toWire();
    byte[] edns = MessageProcessorTest.ednsQuery("big.example.test.", 1232, false).toWire();
    byte[] ednsDo = MessageProcessorTest.ednsQuery("big.example.test.", 1232, true).toWire();
    byte[] small = MessageProcessorTest.ednsQuery("big.example.test.", 512, false).toWire();
    for (int round = 0; round < 2; round++) {
      Message udpPlain = new Message(process(plain, UDP));
      assertThat(udpPlain.getHeader().getFlag(Flags.TC)).isTrue();
      assertThat(udpPlain.getOPT()).isNull();
      Message tcpPlain = new Message(processStream(plain, TCP));
      assertThat(tcpPlain.getHeader().getFlag(Flags.TC)).isFalse();
      assertThat(tcpPlain.getSection(Section.ANSWER)).hasSize(60);
      Message udpEdns = new Message(process(edns, UDP));
      assertThat(udpEdns.getHeader().getFlag(Flags.TC)).isFalse();
      assertThat(udpEdns.getOPT().getFlags()).isZero();
      assertThat(new Message(process(ednsDo, UDP)).getOPT().getFlags()).isNotZero();
      Message udpSmall = new Message(process(small, UDP));
      assertThat(udpSmall.getHeader().getFlag(Flags.TC)).isTrue();
      assertThat(udpSmall.getOPT()).isNotNull();
    }
    assertThat(handled).hasValue(5);
    assertThat(counter("wire.packetcache.hits")).isEqualTo(4.0);
    assertThat(meters.get("wire.packetcache.hits").tag("transport", "tcp").functionCounter().count())
        .isEqualTo(1.0);
  }

  @Test
  void queriesWithCookiesOrTwoOptsOrTsigBypassTheCache() throws IOException {
    Message cookie = MessageProcessorTest.query("www.example.test.", Type.A);
    cookie.addRecord(
        new OPTRecord(1232, 0, 0, 0, List.of(new CookieOption(new byte[8]))), Section.ADDITIONAL);
    process(cookie.toWire(), UDP);
    process(cookie.toWire(), UDP);
    assertThat(handled).hasValue(2);

    byte[] one = MessageProcessorTest.ednsQuery("www.example.test.", 1232, false).toWire();
    byte[] twoOpts = Arrays.copyOf(one, one.length + 11);
    System.arraycopy(one, one.length - 11, twoOpts, one.length, 11);
    twoOpts[11] = 2;
    assertThat(new Message(process(twoOpts, UDP)).getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(new Message(process(twoOpts, UDP)).getRcode()).isEqualTo(Rcode.FORMERR);

    Message signed = MessageProcessorTest.query("www.example.test.", Type.A);
    signed.setTSIG(new TSIG(TSIG.HMAC_SHA256, "key.test.", "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"));
    process(signed.toWire(65535), UDP);
    process(signed.toWire(65535), UDP);
    assertThat(handled).hasValue(4);
    assertThat(counter("wire.packetcache.hits")).isZero();
    assertThat(counter("wire.packetcache.misses")).isZero();
  }

  @Test
  void aSignedResponseIsNeverStored() {
    TSIG key = new TSIG(TSIG.HMAC_SHA256, "key.test.", "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0");
    QueryHandler signing =
        new QueryHandler() {
          @Override
          public CompletionStage<Message> handle(Message q, QueryContext c) {
            handled.incrementAndGet();
            Message r = Responses.reply(q);
            r.setTSIG(key);
            return CompletableFuture.completedFuture(r);
          }

          @Override
          public long cacheGeneration() {
            return 1;
          }
        };
    processor = new MessageProcessor(signing, WireOptions.defaults(), WireObserver.NOOP);
    byte[] query = MessageProcessorTest.query("www.example.test.", Type.A).toWire();
    process(query, UDP);
    process(query, UDP);
    assertThat(handled).hasValue(2);
  }

  @Test
  void aResponseWithAnotherQuestionIsNeverStored() {
    QueryHandler other =
        new QueryHandler() {
          @Override
          public CompletionStage<Message> handle(Message q, QueryContext c) {
            handled.incrementAndGet();
            Message r = new Message(q.getHeader().getID());
            r.addRecord(
                Record.newRecord(Name.fromConstantString("zzz.example.test."), Type.A, 1),
                Section.QUESTION);
            return CompletableFuture.completedFuture(r);
          }

          @Override
          public long cacheGeneration() {
            return 1;
          }
        };
    processor = new MessageProcessor(other, WireOptions.defaults(), WireObserver.NOOP);
    byte[] query = MessageProcessorTest.query("www.example.test.", Type.A).toWire();
    process(query, UDP);
    process(query, UDP);
    assertThat(handled).hasValue(2);
  }

  @Test
  void failuresAreNotStored() {
    AtomicInteger calls = new AtomicInteger();
    QueryHandler failing =
        new QueryHandler() {
          @Override
          public CompletionStage<Message> handle(Message q, QueryContext c) {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("boom"));
          }

          @Override
          public long cacheGeneration() {
            return 1;
          }
        };
    processor = new MessageProcessor(failing, WireOptions.defaults(), WireObserver.NOOP);
    byte[] query = MessageProcessorTest.query("www.example.test.", Type.A).toWire();
    process(query, UDP);
    process(query, UDP);
    assertThat(calls).hasValue(2);
  }

  @Test
  void lastRecordTypeWalksCompressedNames() {
    Message m = MessageProcessorTest.query("www.example.test.", Type.A);
    m.addRecord(MessageProcessorTest.a(Name.fromConstantString("www.example.test."), 1), Section.ANSWER);
    assertThat(PacketCache.lastRecordType(m.toWire())).isEqualTo(Type.A);
    assertThat(PacketCache.lastRecordType(MessageProcessorTest.query("a.", Type.A).toWire()))
        .isZero();
    byte[] cut = m.toWire();
    assertThat(PacketCache.lastRecordType(Arrays.copyOf(cut, cut.length - 1))).isEqualTo(-1);
  }

  @Test
  void oldGenerationsAreSweptWhenANewOneIsStored() {
    PacketCache cache = new PacketCache(1 << 20, 1232, Runnable::run);
    byte[] query = MessageProcessorTest.query("www.example.test.", Type.A).toWire();
    byte[] response = process(query, UDP);
    cache.put(cache.key(query, Transport.UDP, 1), query, response, 0);
    assertThat(cache.size()).isEqualTo(1);
    cache.put(cache.key(query, Transport.UDP, 2), query, response, 0);
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.answer(cache.key(query, Transport.UDP, 2), query, () -> 0L)).isNotNull();
  }

  @Test
  void aBatchIsAnsweredAsItsQueriesOneByOne() throws IOException {
    byte[] cached = MessageProcessorTest.query("www.example.test.", Type.A).toWire();
    byte[] cachedAgain = MessageProcessorTest.query("WWW.example.test.", Type.A).toWire();
    byte[] fresh = MessageProcessorTest.query("new.example.test.", Type.A).toWire();
    byte[] freshAgain = MessageProcessorTest.query("new.example.test.", Type.A).toWire();
    byte[] edns = MessageProcessorTest.ednsQuery("www.example.test.", 1232, false).toWire();
    byte[] garbage = {1, 2, 3};
    byte[][] batch = {cached, fresh, cachedAgain, freshAgain, edns, garbage};
    process(cached, UDP); // fills the cache for the first and third
    MessageProcessor oneByOne =
        new MessageProcessor(handler, WireOptions.defaults(), WireObserver.NOOP);
    oneByOne.process(cached, UDP).toCompletableFuture().join();
    int before = handled.get();

    QueryContext[] contexts = new QueryContext[batch.length];
    Arrays.fill(contexts, UDP);
    Object[] results = new Object[batch.length];
    processor.process(batch, contexts, batch.length, results);

    for (int i = 0; i < batch.length; i++) {
      byte[] expected = oneByOne.process(batch[i], UDP).toCompletableFuture().join();
      Object result = results[i];
      @SuppressWarnings("unchecked")
      byte[] answer =
          result instanceof byte[] bytes
              ? bytes
              : ((CompletionStage<byte[]>) result).toCompletableFuture().join();
      assertThat(answer).as("query %d", i).isEqualTo(expected);
    }
    // A hit is handed over as its bytes, without a stage.
    assertThat(results[0]).isInstanceOf(byte[].class);
    assertThat(results[2]).isInstanceOf(byte[].class);
    // The two cached questions were hits; the new name was looked up before either of its
    // queries was answered, so both went to the handler, as did the EDNS query (a key of its
    // own). One by one, the second query of the new name is a hit.
    assertThat(handled.get() - before).isEqualTo(3 + 2);
    assertThat(counter("wire.packetcache.hits")).isEqualTo(2.0);
  }

  @Test
  void aHitReportsTheStoredRcodeAndTcBitAndAnExtendedRcodeIsNotStored() throws IOException {
    PacketCache cache = new PacketCache(1 << 20, 1232, Runnable::run);
    Message query = MessageProcessorTest.query("gone.example.test.", Type.A);
    byte[] wire = query.toWire();
    Message nx = new Message(query.getHeader().getID());
    nx.getHeader().setFlag(Flags.QR);
    nx.getHeader().setFlag(Flags.TC);
    nx.getHeader().setRcode(Rcode.NXDOMAIN);
    nx.addRecord(query.getQuestion(), Section.QUESTION);
    PacketKey key = cache.key(wire, Transport.UDP, 1);
    assertThat(cache.put(key, wire, nx.toWire(), Rcode.NXDOMAIN)).isTrue();
    byte[] hit = cache.answer(key, wire, () -> 0L);
    assertThat(PacketCache.rcode(hit)).isEqualTo(Rcode.NXDOMAIN);
    assertThat(PacketCache.truncated(hit)).isTrue();
    // BADVERS (16) lives partly in the OPT record: the header alone cannot report it.
    PacketKey other = cache.key(wire, Transport.UDP, 2);
    assertThat(cache.put(other, wire, nx.toWire(), Rcode.BADVERS)).isFalse();
    assertThat(cache.answer(other, wire, () -> 0L)).isNull();
  }

  private byte[] process(byte[] wire, QueryContext context) {
    return processor.process(wire, context).toCompletableFuture().join();
  }

  private byte[] processStream(byte[] wire, QueryContext context) {
    List<byte[]> frames = processor.processStream(wire, context).toCompletableFuture().join();
    assertThat(frames).hasSize(1);
    return frames.get(0);
  }

  private double counter(String name) {
    return meters.get(name).tag("transport", "udp").functionCounter().count();
  }
}
