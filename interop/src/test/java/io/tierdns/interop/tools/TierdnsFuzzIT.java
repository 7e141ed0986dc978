package io.tierdns.interop.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.interop.support.DnsClient;
import io.tierdns.interop.support.ZoneGenerator;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * {@code interop/tools/tierdns_fuzz}: the packaged server keeps answering while it is fed random
 * and mutated packets over UDP and TCP. Mutations start from real queries of the generated query
 * list (so they reach the lookup, not only the parser): bit flips, truncation, random counts,
 * compression pointers, random bytes. After every batch a valid query must still be answered over
 * both transports. Bounded: 8,000 packets and 60 seconds.
 */
class TierdnsFuzzIT extends GeneratedZonesServer {

  private static final int PACKETS = 8_000;
  private static final int BATCH = 200;
  private static final long DEADLINE_MS = 60_000;

  TierdnsFuzzIT() {
    super(7, 300, "tierdns-interop-fuzz-");
  }

  @Test
  void noPacketStopsTheServerFromAnsweringTheNextOne() throws Exception {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    Random random = new Random(seed);
    List<byte[]> corpus = new ArrayList<>();
    for (ZoneGenerator.Query q : zones.queries().subList(0, Math.min(500, zones.queries().size()))) {
      corpus.add(DnsClient.query(q.qname(), q.qtype()).toWire());
    }
    InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), tierdns.port());
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    int sent = 0;
    int probes = 0;
    try (DatagramSocket udp = new DatagramSocket();
        DnsClient probe = new DnsClient(tierdns.port(), 2000)) {
      while (sent < PACKETS && System.currentTimeMillis() < deadline) {
        for (int i = 0; i < BATCH; i++, sent++) {
          byte[] packet = mutate(corpus.get(random.nextInt(corpus.size())), random);
          if (random.nextInt(8) == 0) {
            sendTcp(server, packet, random);
          } else {
            udp.send(new DatagramPacket(packet, packet.length, server));
          }
        }
        Message query = DnsClient.query(ZoneGenerator.ZONE, Type.SOA);
        Optional<Message> overUdp = retryUdp(probe, query);
        Optional<Message> overTcp = probe.tcp(query);
        assertThat(overUdp).as("UDP probe after %d packets (seed %d)", sent, seed).isPresent();
        assertThat(overTcp).as("TCP probe after %d packets (seed %d)", sent, seed).isPresent();
        assertThat(overUdp.get().getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(overTcp.get().getRcode()).isEqualTo(Rcode.NOERROR);
        probes++;
      }
    }
    assertThat(sent).as("packets sent (seed %d)", seed).isGreaterThanOrEqualTo(2_000);
    assertThat(probes).isGreaterThan(0);
  }

  /** A UDP probe may meet a full socket buffer right after a burst; a datagram may be lost. */
  private static Optional<Message> retryUdp(DnsClient probe, Message query) throws IOException {
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<Message> answer = probe.udp(query);
      if (answer.isPresent()) {
        return answer;
      }
    }
    return Optional.empty();
  }

  private static void sendTcp(InetSocketAddress server, byte[] packet, Random random) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(server, 2000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      int declared = random.nextInt(10) == 0 ? random.nextInt(65536) : packet.length;
      out.writeShort(declared);
      out.write(packet);
      out.flush();
    }
  }

  static byte[] mutate(byte[] original, Random random) {
    byte[] p = original.clone();
    switch (random.nextInt(6)) {
      case 0 -> { // bit flips
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips; i++) {
          int at = random.nextInt(p.length);
          p[at] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> p = java.util.Arrays.copyOf(p, random.nextInt(p.length + 1)); // truncation
      case 2 -> { // bogus section counts
        for (int i = 4; i < 12; i++) {
          p[i] = (byte) random.nextInt(256);
        }
      }
      case 3 -> { // a compression pointer somewhere in the name, possibly a loop
        int at = 12 + random.nextInt(Math.max(1, p.length - 13));
        if (at + 1 < p.length) {
          p[at] = (byte) (0xC0 | random.nextInt(0x40));
          p[at + 1] = (byte) random.nextInt(256);
        }
      }
      case 4 -> { // random bytes of random length
        p = new byte[random.nextInt(600)];
        random.nextBytes(p);
      }
      default -> { // header flags and opcode
        p[2] = (byte) random.nextInt(256);
        p[3] = (byte) random.nextInt(256);
      }
    }
    return p;
  }
}
