package io.tierdns.wire;

import static io.tierdns.wire.MessageProcessorTest.a;
import static io.tierdns.wire.MessageProcessorTest.ednsQuery;
import static io.tierdns.wire.MessageProcessorTest.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tierdns.wire.testing.RawDnsClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Real sockets on 127.0.0.1, port 0. */
class DnsServerTest {

  static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** Answers one A record for the question; names starting with "slow" answer after 300 ms. */
  static final QueryHandler ECHO =
      (q, c) -> {
        Message r = Responses.reply(q);
        r.addRecord(a(q.getQuestion().getName(), 1), Section.ANSWER);
        if (q.getQuestion().getName().toString().startsWith("slow")) {
          return CompletableFuture.supplyAsync(
              () -> r, CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
        }
        return CompletableFuture.completedFuture(r);
      };

  private final List<DnsServer> servers = new ArrayList<>();

  @AfterEach
  void closeServers() {
    servers.forEach(DnsServer::close);
  }

  private InetSocketAddress start(WireOptions options, WireObserver observer) {
    DnsServer server =
        new DnsServer(List.of(new InetSocketAddress("127.0.0.1", 0)), ECHO, options, observer);
    servers.add(server);
    server.start();
    return server.boundAddresses().get(0);
  }

  private InetSocketAddress start(WireOptions options) {
    return start(options, WireObserver.NOOP);
  }

  @Test
  void answersOverUdpAndTcpOnTheSamePort() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    InetSocketAddress address =
        start(WireOptions.defaults().withIoThreads(2), new MicrometerWireObserver(registry));
    assertThat(address.getPort()).isPositive();
    for (Transport transport : Transport.values()) {
      Message q = ednsQuery("www.example.", 4096, true);
      Message r = RawDnsClient.query(address, q, transport);
      assertThat(r.getHeader().getID()).isEqualTo(q.getHeader().getID());
      assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.getSection(Section.ANSWER)).hasSize(1);
      assertThat(r.getOPT().getPayloadSize()).isEqualTo(1232);
    }
    assertThat(registry.get("wire.queries").tag("transport", "udp").functionCounter().count()).isEqualTo(1);
    assertThat(
            registry.get("wire.responses").tag("transport", "tcp").tag("rcode", "NOERROR")
                .functionCounter().count())
        .isEqualTo(1);
  }

  @Test
  void ipv4AndIpv6ListenersEachAnswerOverUdpAndTcp() {
    // An IPv4 address gets a socket of its own family (no v4-mapped detour); ::1 an IPv6 one.
    DnsServer server =
        new DnsServer(
            List.of(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("::1", 0)),
            ECHO,
            WireOptions.defaults().withIoThreads(2),
            WireObserver.NOOP);
    servers.add(server);
    server.start();
    assertThat(server.boundAddresses()).hasSize(2);
    for (InetSocketAddress address : server.boundAddresses()) {
      for (Transport transport : Transport.values()) {
        Message q = query("www.example.", Type.A);
        Message r = RawDnsClient.query(address, q, transport);
        assertThat(r.getHeader().getID()).as(address + " " + transport).isEqualTo(q.getHeader().getID());
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
      }
    }
  }

  @Test
  void emptyDatagramDoesNotStallTheUdpSocket() throws IOException {
    InetSocketAddress address = start(WireOptions.defaults().withIoThreads(1));
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(2000);
      for (int i = 0; i < 5; i++) {
        socket.send(new java.net.DatagramPacket(new byte[0], 0, address));
        byte[] q = query("after-empty.example.", Type.A).toWire();
        socket.send(new java.net.DatagramPacket(q, q.length, address));
        java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[512], 512);
        socket.receive(reply);
        assertThat(reply.getData()[0]).isEqualTo(q[0]);
        assertThat(reply.getData()[1]).isEqualTo(q[1]);
      }
    }
  }

  @Test
  void aBurstOfDatagramsReadInBatchesIsAnsweredWhole() throws IOException {
    InetSocketAddress address = start(WireOptions.defaults().withIoThreads(1));
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(2000);
      socket.setReceiveBufferSize(1 << 20);
      java.util.Set<Integer> sent = new java.util.HashSet<>();
      for (int i = 0; i < 200; i++) {
        Message q = query("burst" + i + ".example.", Type.A);
        sent.add(q.getHeader().getID());
        byte[] w = q.toWire();
        socket.send(new java.net.DatagramPacket(w, w.length, address));
      }
      java.util.Set<Integer> answered = new java.util.HashSet<>();
      for (int i = 0; i < 200; i++) {
        java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[512], 512);
        socket.receive(reply);
        Message r = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
        assertThat(r.getSection(Section.ANSWER)).hasSize(1);
        answered.add(r.getHeader().getID());
      }
      assertThat(answered).isEqualTo(sent);
    }
  }

  @Test
  void aUdpQueryLongerThanABatchSlotIsAnsweredWithTcSoTheClientRetriesOverTcp() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.channel.epoll.Epoll.isAvailable(), "batched reads need epoll");
    InetSocketAddress address = start(WireOptions.defaults().withIoThreads(1));
    Message q = query("long.example.", Type.A);
    byte[] pad = new byte[UdpQueryHandler.UDP_QUERY_SLOT];
    q.addRecord(new org.xbill.DNS.TXTRecord(new org.xbill.DNS.Name("long.example."), org.xbill.DNS.DClass.IN, 0,
        java.util.Collections.nCopies(pad.length / 250 + 1, "x".repeat(250))), Section.ADDITIONAL);
    byte[] w = q.toWire();
    assertThat(w.length).isGreaterThan(UdpQueryHandler.UDP_QUERY_SLOT);
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(2000);
      socket.send(new java.net.DatagramPacket(w, w.length, address));
      java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[512], 512);
      socket.receive(reply);
      Message r = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
      assertThat(r.getHeader().getID()).isEqualTo(q.getHeader().getID());
      assertThat(r.getHeader().getFlag(org.xbill.DNS.Flags.TC)).isTrue();
      assertThat(r.getQuestion().getName().toString()).isEqualTo("long.example.");
      assertThat(r.getSection(Section.ANSWER)).isEmpty();
    }
    // the same query over TCP reaches the handler
    assertThat(RawDnsClient.query(address, q, Transport.TCP).getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void pipelinedQueriesOnOneConnectionAreAllAnsweredAsTheyComplete() {
    InetSocketAddress address = start(WireOptions.defaults());
    List<Message> queries =
        List.of(
            query("slow.example.", Type.A),
            query("a.example.", Type.A),
            query("b.example.", Type.A),
            query("c.example.", Type.A));
    List<byte[]> replies =
        RawDnsClient.tcpPipelined(address, queries.stream().map(Message::toWire).toList(), TIMEOUT);
    assertThat(replies).hasSize(4);
    List<Integer> ids = replies.stream().map(b -> ((b[0] & 0xff) << 8) | (b[1] & 0xff)).toList();
    assertThat(ids)
        .containsExactlyInAnyOrderElementsOf(
            queries.stream().map(m -> m.getHeader().getID()).toList());
    assertThat(ids.get(3)).as("the slow answer comes last").isEqualTo(queries.get(0).getHeader().getID());
  }

  @Test
  void largeAnswerIsTruncatedOverUdpAndCompleteOverTcp() throws IOException {
    QueryHandler big =
        (q, c) -> {
          Message r = Responses.reply(q);
          for (int i = 0; i < 100; i++) {
            r.addRecord(a(q.getQuestion().getName(), i), Section.ANSWER);
          }
          return CompletableFuture.completedFuture(r);
        };
    DnsServer server = new DnsServer(List.of(new InetSocketAddress("127.0.0.1", 0)), big);
    servers.add(server);
    server.start();
    InetSocketAddress address = server.boundAddresses().get(0);
    Message udp = RawDnsClient.query(address, query("big.example.", Type.A), Transport.UDP);
    assertThat(udp.getHeader().getFlag(Flags.TC)).isTrue();
    Message tcp = RawDnsClient.query(address, query("big.example.", Type.A), Transport.TCP);
    assertThat(tcp.getSection(Section.ANSWER)).hasSize(100);
  }

  @Test
  void idleTcpConnectionIsClosedByTheServer() throws IOException {
    InetSocketAddress address = start(WireOptions.defaults().withTcpIdleTimeout(Duration.ofMillis(200)));
    try (Socket socket = new Socket()) {
      socket.connect(address);
      socket.setSoTimeout(5000);
      long start = System.nanoTime();
      assertThat(socket.getInputStream().read()).as("EOF from the server").isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }
  }

  @Test
  void connectionsBeyondTheCapAreClosedAtOnce() throws Exception {
    InetSocketAddress address = start(WireOptions.defaults().withTcpMaxConnections(2));
    try (Socket one = connectAndAsk(address);
        Socket two = connectAndAsk(address);
        Socket three = new Socket()) {
      three.connect(address);
      three.setSoTimeout(5000);
      assertThat(read(three.getInputStream())).as("third connection closed").isEqualTo(-1);
    }
    // Once the others are gone, connections are accepted again.
    byte[] reply = null;
    for (int i = 0; i < 50 && reply == null; i++) {
      reply = RawDnsClient.tcp(address, query("again.example.", Type.A).toWire(), Duration.ofSeconds(1));
    }
    assertThat(reply).isNotNull();
  }

  @Test
  void connectionsBeyondThePerClientCapAreClosedAtOnce() throws Exception {
    InetSocketAddress address =
        start(WireOptions.defaults().withTcpMaxConnections(10).withTcpMaxConnectionsPerClient(2));
    try (Socket one = connectAndAsk(address);
        Socket two = connectAndAsk(address);
        Socket three = new Socket()) {
      three.connect(address);
      three.setSoTimeout(5000);
      assertThat(read(three.getInputStream())).as("third connection from 127.0.0.1 closed")
          .isEqualTo(-1);
    }
    byte[] reply = null;
    for (int i = 0; i < 50 && reply == null; i++) {
      reply = RawDnsClient.tcp(address, query("again.example.", Type.A).toWire(), Duration.ofSeconds(1));
    }
    assertThat(reply).isNotNull();
  }

  @Test
  void aHandlerAnsweringWithAMinimalStageIsAnsweredOverUdp() throws IOException {
    // The resolver cache's coalesced flights are minimal stages, which refuse isDone().
    QueryHandler minimal =
        (q, c) -> ECHO.handle(q, c).toCompletableFuture().minimalCompletionStage();
    DnsServer server =
        new DnsServer(List.of(new InetSocketAddress("127.0.0.1", 0)), minimal);
    servers.add(server);
    server.start();
    InetSocketAddress address = server.boundAddresses().get(0);
    for (String name : List.of("now.example.", "slow.example.")) {
      Message r = RawDnsClient.query(address, query(name, Type.A), Transport.UDP);
      assertThat(r.getSection(Section.ANSWER)).hasSize(1);
    }
  }

  @Test
  void bindingATakenPortFailsWithTheAddressInTheMessage() {
    InetSocketAddress taken = start(WireOptions.defaults());
    DnsServer second = new DnsServer(List.of(taken), ECHO);
    servers.add(second);
    assertThatThrownBy(second::start)
        .isInstanceOf(WireException.class)
        .hasMessageContaining(taken.toString());
  }

  @Test
  void udpAndTcpShareTheBoundPortWhichNoOtherUdpSocketCanTake() throws IOException {
    for (int i = 0; i < 5; i++) {
      InetSocketAddress address = start(WireOptions.defaults().withIoThreads(1));
      assertThat(RawDnsClient.udp(address, query("x.example.", Type.A).toWire(), TIMEOUT)).isNotNull();
      try (DatagramSocket probe = new DatagramSocket(null)) {
        assertThatThrownBy(() -> probe.bind(address)).isInstanceOf(IOException.class);
      }
    }
  }

  private static Socket connectAndAsk(InetSocketAddress address) throws IOException {
    Socket socket = new Socket();
    socket.connect(address);
    socket.setSoTimeout(5000);
    byte[] frame = RawDnsClient.frame(query("cap.example.", Type.A).toWire());
    socket.getOutputStream().write(frame);
    InputStream in = socket.getInputStream();
    int length = (in.read() << 8) | in.read();
    assertThat(in.readNBytes(length)).hasSize(length);
    return socket;
  }

  private static int read(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      return -2;
    } catch (IOException e) { // reset counts as closed
      return -1;
    }
  }
}
