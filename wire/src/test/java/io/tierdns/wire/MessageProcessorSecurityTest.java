package io.tierdns.wire;

import static io.tierdns.wire.MessageProcessorTest.a;
import static io.tierdns.wire.MessageProcessorTest.ednsQuery;
import static io.tierdns.wire.MessageProcessorTest.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Response rate limiting and DNS Cookies as {@link MessageProcessor} applies them. */
class MessageProcessorSecurityTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final QueryContext UDP = context(Transport.UDP, "192.0.2.1");
  private static final QueryContext TCP = context(Transport.TCP, "192.0.2.1");
  private static final byte[] CLIENT_COOKIE = HEX.parseHex("2464c4abcf10c957");

  private final AtomicLong nanos = new AtomicLong();
  private final AtomicLong seconds = new AtomicLong(1559731985);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final DnsCookies cookies =
      new DnsCookies(HEX.parseHex("e5e973e5a6b2a43f48e7dc849e37bfcf"), seconds::get);

  private final QueryHandler oneAddress =
      new QueryHandler() {
        @Override
        public java.util.concurrent.CompletionStage<Message> handle(Message q, QueryContext c) {
          Message r = Responses.reply(q);
          r.addRecord(a(q.getQuestion().getName(), 1), Section.ANSWER);
          return CompletableFuture.completedFuture(r);
        }

        @Override
        public long cacheGeneration() {
          return 1;
        }
      };

  // --- response rate limiting ---

  @Test
  void aUdpBurstIsLimitedToTheRateAndEverySecondExcessResponseSlipsAsTruncated() throws Exception {
    MessageProcessor p = processor(WireOptions.defaults().withRrlResponsesPerSecond(3));
    byte[] wire = query("www.example.", Type.A).toWire();
    int answered = 0;
    int slipped = 0;
    int dropped = 0;
    for (int i = 0; i < 13; i++) {
      byte[] out = p.process(wire, UDP).toCompletableFuture().join();
      if (out == null) {
        dropped++;
      } else if (new Message(out).getHeader().getFlag(Flags.TC)) {
        Message slip = new Message(out);
        assertThat(slip.getSection(Section.ANSWER)).isEmpty();
        assertThat(slip.getQuestion().getName().toString()).isEqualTo("www.example.");
        assertThat(out.length).isLessThanOrEqualTo(wire.length);
        slipped++;
      } else {
        answered++;
      }
    }
    assertThat(answered).isEqualTo(3);
    assertThat(slipped).isEqualTo(5);
    assertThat(dropped).isEqualTo(5);
    assertThat(meters.counter("wire.rrl.slipped").count()).isEqualTo(5);
    assertThat(meters.counter("wire.rrl.dropped").count()).isEqualTo(5);
  }

  @Test
  void packetCacheHitsAreRateLimitedToo() {
    MessageProcessor p =
        processor(WireOptions.defaults().withRrlResponsesPerSecond(2).withRrlSlip(0));
    byte[] wire = query("cached.example.", Type.A).toWire();
    long answered =
        java.util.stream.IntStream.range(0, 10)
            .mapToObj(i -> p.process(wire, UDP).toCompletableFuture().join())
            .filter(b -> b != null)
            .count();
    assertThat(answered).isEqualTo(2);
    assertThat(meters.get("wire.packetcache.hits").tag("transport", "udp").functionCounter().count()).isPositive();
  }

  @Test
  void aSlippedEdnsResponseKeepsAnOptWithoutOptions() throws Exception {
    MessageProcessor p = processor(WireOptions.defaults().withRrlResponsesPerSecond(1).withRrlSlip(1));
    byte[] wire = ednsQuery("www.example.", 1232, true).toWire();
    p.process(wire, UDP).toCompletableFuture().join();
    Message slip = new Message(p.process(wire, UDP).toCompletableFuture().join());
    assertThat(slip.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(slip.getOPT()).isNotNull();
    assertThat(slip.getOPT().getOptions()).isEmpty();
  }

  @Test
  void anotherPrefixIsServedWhileOneIsLimited() {
    MessageProcessor p = processor(WireOptions.defaults().withRrlResponsesPerSecond(1).withRrlSlip(0));
    byte[] wire = query("www.example.", Type.A).toWire();
    p.process(wire, UDP).toCompletableFuture().join();
    assertThat(p.process(wire, UDP).toCompletableFuture().join()).isNull();
    assertThat(p.process(wire, context(Transport.UDP, "198.51.100.7")).toCompletableFuture().join())
        .isNotNull();
  }

  @Test
  void tcpIsNeverRateLimited() {
    MessageProcessor p = processor(WireOptions.defaults().withRrlResponsesPerSecond(1).withRrlSlip(0));
    byte[] wire = query("www.example.", Type.A).toWire();
    for (int i = 0; i < 50; i++) {
      assertThat(p.process(wire, TCP).toCompletableFuture().join()).isNotNull();
    }
  }

  @Test
  void rateLimitingIsOffByDefault() {
    MessageProcessor p = processor(WireOptions.defaults());
    byte[] wire = query("www.example.", Type.A).toWire();
    for (int i = 0; i < 200; i++) {
      assertThat(p.process(wire, UDP).toCompletableFuture().join()).isNotNull();
    }
  }

  @Test
  void aQueryWithAValidServerCookieIsNotRateLimited() throws Exception {
    MessageProcessor p = processor(WireOptions.defaults().withRrlResponsesPerSecond(1).withRrlSlip(0));
    Message first = new Message(p.process(cookieQuery(new CookieOption(CLIENT_COOKIE)), UDP)
        .toCompletableFuture().join());
    CookieOption learned = cookieOf(first);
    for (int i = 0; i < 20; i++) {
      assertThat(p.process(cookieQuery(learned), UDP).toCompletableFuture().join()).isNotNull();
    }
    // A forged server cookie proves nothing.
    byte[] forged = learned.getServerCookie().orElseThrow().clone();
    forged[15] ^= 1;
    assertThat(p.process(cookieQuery(new CookieOption(CLIENT_COOKIE, forged)), UDP)
        .toCompletableFuture().join()).isNull();
  }

  // --- DNS Cookies ---

  @Test
  void aClientCookieAloneIsAnsweredWithTheRfc9018ServerCookie() throws Exception {
    MessageProcessor p = processor(WireOptions.defaults());
    QueryContext from = context(Transport.UDP, "198.51.100.100");
    Message response = new Message(
        p.process(cookieQuery(new CookieOption(CLIENT_COOKIE)), from).toCompletableFuture().join());
    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    CookieOption cookie = cookieOf(response);
    assertThat(cookie.getClientCookie()).isEqualTo(CLIENT_COOKIE);
    assertThat(HEX.formatHex(cookie.getServerCookie().orElseThrow()))
        .isEqualTo("010000005cf79f111f8130c3eee29480"); // RFC 9018 A.1
  }

  @Test
  void aValidServerCookieIsAnsweredAndRenewed() throws Exception {
    MessageProcessor p = processor(WireOptions.defaults());
    QueryContext from = context(Transport.TCP, "198.51.100.100");
    seconds.set(1559734385);
    CookieOption presented = new CookieOption(
        CLIENT_COOKIE, HEX.parseHex("010000005cf79f111f8130c3eee29480"));
    Message response = new Message(p.process(cookieQuery(presented), from).toCompletableFuture().join());
    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(HEX.formatHex(cookieOf(response).getServerCookie().orElseThrow()))
        .isEqualTo("010000005cf7a871d4a564a1442aca77"); // RFC 9018 A.2
  }

  @Test
  void malformedCookieOptionsAreAnsweredFormerr() throws Exception {
    MessageProcessor p = processor(WireOptions.defaults());
    for (int length : new int[] {0, 7, 9, 15, 41}) {
      Message q = query("www.example.", Type.A);
      q.addRecord(
          new OPTRecord(1232, 0, 0, 0, List.of(new GenericEDNSOption(EDNSOption.Code.COOKIE, new byte[length]))),
          Section.ADDITIONAL);
      Message response = new Message(p.process(q.toWire(), UDP).toCompletableFuture().join());
      assertThat(response.getRcode()).as("cookie of %d bytes", length).isEqualTo(Rcode.FORMERR);
    }
  }

  @Test
  void noCookieIsSentWhenCookiesAreOffOrTheQueryHasNone() throws Exception {
    MessageProcessor off =
        new MessageProcessor(oneAddress, WireOptions.defaults().withCookies(false), WireObserver.NOOP);
    Message response = new Message(
        off.process(cookieQuery(new CookieOption(CLIENT_COOKIE)), UDP).toCompletableFuture().join());
    assertThat(response.getOPT().getOptions(EDNSOption.Code.COOKIE)).isEmpty();
    MessageProcessor on = processor(WireOptions.defaults());
    Message plain = new Message(
        on.process(ednsQuery("www.example.", 1232, false).toWire(), UDP).toCompletableFuture().join());
    assertThat(plain.getOPT().getOptions()).isEmpty();
  }

  private MessageProcessor processor(WireOptions options) {
    return new MessageProcessor(
        oneAddress, options, new MicrometerWireObserver(meters), cookies, nanos::get);
  }

  private static byte[] cookieQuery(CookieOption cookie) {
    Message q = query("www.example.", Type.A);
    q.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(cookie)), Section.ADDITIONAL);
    return q.toWire();
  }

  private static CookieOption cookieOf(Message response) {
    List<EDNSOption> found = response.getOPT().getOptions(EDNSOption.Code.COOKIE);
    assertThat(found).hasSize(1);
    return (CookieOption) found.get(0);
  }

  private static QueryContext context(Transport transport, String ip) {
    return new QueryContext(
        transport, new InetSocketAddress(ip, 40000), new InetSocketAddress(53));
  }
}
