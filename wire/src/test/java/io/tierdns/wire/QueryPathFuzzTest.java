package io.tierdns.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Coverage-guided fuzzing of the query path (docs/fuzzing.md): raw bytes, as a datagram or a TCP
 * message, through {@link MessageProcessor} with the packet cache, DNS Cookies and response rate
 * limiting on, in front of a handler that answers like an authoritative server (answers, CNAME,
 * NXDOMAIN with SOA, REFUSED outside its zone, answers big enough to truncate) and, for one query
 * type each, fails or stays silent.
 *
 * <p>Whatever arrives, the stage completes normally with nothing or with a response that parses,
 * has QR set, the query's ID, and fits the UDP size limit. Seeds: {@code
 * src/test/resources/io/tierdns/wire/QueryPathFuzzTestInputs/}.
 */
class QueryPathFuzzTest {

  private static final Name ZONE = Name.fromConstantString("example.test.");
  private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 40000);
  private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 53);
  private static final WireOptions OPTIONS =
      WireOptions.defaults()
          .withPacketCacheBytes(1 << 20)
          .withCookies(true)
          .withRrlResponsesPerSecond(5)
          .withRrlSlip(2);

  /** One processor for the whole run: the packet cache and the rate limiter carry state over. */
  private static final MessageProcessor PROCESSOR =
      new MessageProcessor(
          new ZoneLikeHandler(),
          OPTIONS,
          WireObserver.NOOP,
          new DnsCookies(new byte[16], () -> 1_700_000_000L),
          () -> 0L);

  @FuzzTest(maxDuration = "30s")
  void anyMessageGetsNothingOrAWellFormedResponse(byte[] wire) {
    check(wire, PROCESSOR.process(wire.clone(), new QueryContext(Transport.UDP, CLIENT, LOCAL)), true);
    check(wire, PROCESSOR.process(wire.clone(), new QueryContext(Transport.TCP, CLIENT, LOCAL)), false);
    List<byte[]> stream =
        PROCESSOR
            .processStream(wire.clone(), new QueryContext(Transport.TCP, CLIENT, LOCAL))
            .toCompletableFuture()
            .join();
    for (byte[] frame : stream) {
      checkResponse(wire, frame, false);
    }
  }

  private static void check(byte[] query, CompletionStage<byte[]> stage, boolean udp) {
    byte[] response = stage.toCompletableFuture().join(); // a failed stage would throw here
    if (response != null) {
      checkResponse(query, response, udp);
    }
  }

  private static void checkResponse(byte[] query, byte[] response, boolean udp) {
    assertThat(response.length).isBetween(12, 65535);
    if (udp) {
      assertThat(response.length).isLessThanOrEqualTo(Math.max(512, OPTIONS.udpPayloadSize()));
    }
    Message parsed;
    try {
      parsed = new Message(response);
    } catch (IOException e) {
      throw new AssertionError("unparseable response to " + hex(query), e);
    }
    assertThat(parsed.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(response[0]).isEqualTo(query[0]);
    assertThat(response[1]).isEqualTo(query[1]);
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x));
    }
    return s.toString();
  }

  /** Answers from a small zone the way the authoritative role does, cacheable. */
  static final class ZoneLikeHandler implements QueryHandler {
    private final SOARecord soa =
        new SOARecord(ZONE, DClass.IN, 3600, name("ns1"), name("hostmaster"), 1, 3600, 600, 86400, 300);

    @Override
    public CompletionStage<Message> handle(Message query, QueryContext context) {
      Record q = query.getQuestion();
      if (q.getType() == Type.NULL) {
        throw new IllegalStateException("a handler fault");
      }
      if (q.getType() == Type.HINFO) {
        return CompletableFuture.failedFuture(new IllegalStateException("a failed stage"));
      }
      if (q.getType() == Type.RP) {
        return CompletableFuture.completedFuture(null);
      }
      Message r = Responses.reply(query);
      Name qname = q.getName();
      if (!qname.subdomain(ZONE)) {
        r.getHeader().setRcode(Rcode.REFUSED);
        return CompletableFuture.completedFuture(r);
      }
      r.getHeader().setFlag(Flags.AA);
      if (qname.equals(name("alias"))) {
        r.addRecord(new CNAMERecord(qname, DClass.IN, 300, name("www")), Section.ANSWER);
        qname = name("www");
      }
      if (qname.equals(name("www")) || qname.equals(name("big"))) {
        int n = qname.equals(name("big")) ? 60 : 2;
        for (int i = 0; i < n; i++) {
          r.addRecord(
              new ARecord(qname, DClass.IN, 300, new byte[] {(byte) 192, 0, 2, (byte) i}),
              Section.ANSWER);
        }
        r.addRecord(new TXTRecord(qname, DClass.IN, 300, "x".repeat(200)), Section.ADDITIONAL);
      } else if (qname.equals(ZONE)) {
        r.addRecord(soa, Section.ANSWER);
      } else {
        r.getHeader().setRcode(Rcode.NXDOMAIN);
        r.addRecord(soa, Section.AUTHORITY);
      }
      return CompletableFuture.completedFuture(r);
    }

    @Override
    public long cacheGeneration() {
      return 1;
    }

    private static Name name(String label) {
      return Name.fromConstantString(label + "." + ZONE);
    }
  }
}
