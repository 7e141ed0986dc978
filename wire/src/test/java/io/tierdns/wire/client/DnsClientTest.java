package io.tierdns.wire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tierdns.wire.DnsServer;
import io.tierdns.wire.QueryHandler;
import io.tierdns.wire.Responses;
import io.tierdns.wire.Transport;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Real sockets on 127.0.0.1 against wire's own {@link DnsServer} and hand-made fake servers. */
class DnsClientTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  /** One A record per question; names starting with "big" get 100 records (truncated on UDP). */
  private static final QueryHandler ZONE =
      (q, c) -> {
        Message r = Responses.reply(q);
        Name name = q.getQuestion().getName();
        int count = name.toString().startsWith("big") ? 100 : 1;
        for (int i = 0; i < count; i++) {
          r.addRecord(new ARecord(name, DClass.IN, 300, ip(i)), Section.ANSWER);
        }
        return CompletableFuture.completedFuture(r);
      };

  private final DnsClient client = new DnsClient(DnsClientOptions.defaults().withTimeout(Duration.ofMillis(500)));
  private DnsServer server;

  @AfterEach
  void close() {
    client.close();
    if (server != null) {
      server.close();
    }
  }

  private static InetAddress ip(int i) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) i});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private InetSocketAddress startServer() {
    server = new DnsServer(List.of(new InetSocketAddress(LOOPBACK, 0)), ZONE);
    server.start();
    return server.boundAddresses().get(0);
  }

  private static Message query(String name) throws Exception {
    return Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
  }

  private static Throwable failure(CompletableFuture<Message> f) {
    try {
      f.join();
      throw new AssertionError("expected a failure");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  @Test
  void answersOverUdpAndTcp() throws Exception {
    InetSocketAddress address = startServer();
    for (Transport t : Transport.values()) {
      Message r = client.query(address, query("www.example."), t).join();
      assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.getSection(Section.ANSWER)).hasSize(1);
    }
  }

  @Test
  void aLargeAnswerIsTruncatedOverUdpAndWholeOverTcp() throws Exception {
    InetSocketAddress address = startServer();
    Message udp = client.query(address, query("big.example."), Transport.UDP).join();
    assertThat(udp.getHeader().getFlag(Flags.TC)).isTrue();
    Message tcp = client.query(address, query("big.example."), Transport.TCP).join();
    assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(tcp.getSection(Section.ANSWER)).hasSize(100);
  }

  @Test
  void eachQueryGetsAFreshRandomIdAndTheCallersMessageIsUntouched() throws Exception {
    InetSocketAddress address = startServer();
    Message q = query("www.example.");
    int original = q.getHeader().getID();
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      ids.add(client.query(address, q, Transport.UDP).join().getHeader().getID());
    }
    assertThat(ids).hasSizeGreaterThan(15);
    assertThat(q.getHeader().getID()).isEqualTo(original);
  }

  @Test
  void aSilentServerTimesOut() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, LOOPBACK)) {
      CompletableFuture<Message> f =
          client.query(new InetSocketAddress(LOOPBACK, silent.getLocalPort()), query("www.example."), Transport.UDP);
      assertThat(failure(f)).isInstanceOf(TimeoutException.class);
    }
  }

  @Test
  void spoofedAnswersWithAWrongIdOrQuestionAreIgnored() throws Exception {
    try (DatagramSocket fake = new DatagramSocket(0, LOOPBACK)) {
      CompletableFuture<Message> f =
          client.query(new InetSocketAddress(LOOPBACK, fake.getLocalPort()), query("www.example."), Transport.UDP);
      DatagramPacket in = new DatagramPacket(new byte[512], 512);
      fake.receive(in);
      Message q = new Message(java.util.Arrays.copyOf(in.getData(), in.getLength()));

      Message wrongId = Responses.reply(q);
      wrongId.getHeader().setID((q.getHeader().getID() + 1) & 0xFFFF);
      Message wrongQuestion = Responses.reply(query("bank.example."));
      wrongQuestion.getHeader().setID(q.getHeader().getID());
      Message real = Responses.reply(q);
      real.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 60, ip(7)), Section.ANSWER);
      for (Message m : List.of(wrongId, wrongQuestion, real)) {
        byte[] b = m.toWire();
        fake.send(new DatagramPacket(b, b.length, in.getSocketAddress()));
      }
      assertThat(f.join().getSection(Section.ANSWER)).hasSize(1);
      assertThat(client.mismatchedResponses()).isEqualTo(2);
    }
  }

  @Test
  void aClosedTcpPortFailsWithADnsClientException() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      port = s.getLocalPort();
    }
    CompletableFuture<Message> f =
        client.query(new InetSocketAddress(LOOPBACK, port), query("www.example."), Transport.TCP);
    assertThat(failure(f)).isInstanceOf(DnsClientException.class);
  }

  @Test
  void aTcpServerThatHangsUpFailsWithADnsClientException() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      CompletableFuture<Message> f =
          client.query(new InetSocketAddress(LOOPBACK, s.getLocalPort()), query("www.example."), Transport.TCP);
      s.accept().close();
      // The hang-up can come before the query is written or after: either way a clear failure.
      assertThat(failure(f))
          .isInstanceOf(DnsClientException.class)
          .hasMessageMatching(".*(closed|cannot send).*");
    }
  }

  @Test
  void responsesMatchOnlyTheirOwnQuestion() throws Exception {
    Message q = query("www.example.");
    Message r = Responses.reply(q);
    assertThat(ResponseMatcher.match(q, r.toWire())).isNotNull();
    Message upper = Responses.reply(query("WWW.EXAMPLE."));
    upper.getHeader().setID(q.getHeader().getID());
    assertThat(ResponseMatcher.match(q, upper.toWire())).as("case-insensitive").isNotNull();
    assertThat(ResponseMatcher.match(q, q.toWire())).as("a query is not a response").isNull();
    assertThat(ResponseMatcher.match(q, new byte[] {1, 2, 3})).isNull();
  }

  @Test
  void optionsAreValidated() {
    assertThatThrownBy(() -> new DnsClientOptions(Duration.ZERO, 1)).hasMessageContaining("timeout");
    assertThatThrownBy(() -> new DnsClientOptions(Duration.ofSeconds(1), 0)).hasMessageContaining("ioThreads");
  }
}
