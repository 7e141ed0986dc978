package io.tierdns.wire;

import static io.tierdns.wire.MessageProcessorTest.ednsQuery;
import static io.tierdns.wire.MessageProcessorTest.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.wire.testing.RawDnsClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * Throws random and mutated packets at a real server over UDP and TCP; after every batch a valid
 * query must still be answered. Bounded by a packet count and a deadline; the seed is printed so a
 * failure can be replayed.
 */
class DnsServerFuzzTest {

  private static final int PACKETS = 20_000;
  private static final int BATCH = 250;
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @Test
  void serverKeepsAnsweringValidQueriesWhileFedGarbage() throws IOException {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    Random random = new Random(seed);
    List<byte[]> seeds = seeds();
    try (DnsServer server =
            new DnsServer(
                List.of(new InetSocketAddress("127.0.0.1", 0)),
                DnsServerTest.ECHO,
                WireOptions.defaults().withIoThreads(2),
                new WireObserver() {
                  @Override
                  public void queryReceived(Transport t) {
                    RECEIVED.incrementAndGet();
                  }
                });
        DatagramSocket udp = new DatagramSocket()) {
      server.start();
      InetSocketAddress address = server.boundAddresses().get(0);
      long end = System.nanoTime() + DEADLINE.toNanos();
      int sent = 0;
      int probes = 0;
      while (sent < PACKETS && System.nanoTime() < end) {
        try (Socket tcp = new Socket()) {
          tcp.connect(address, 2000);
          OutputStream out = tcp.getOutputStream();
          for (int i = 0; i < BATCH; i++, sent++) {
            byte[] packet = mutate(seeds.get(random.nextInt(seeds.size())), random);
            if (random.nextBoolean()) {
              udp.send(new DatagramPacket(packet, packet.length, address));
            } else {
              try {
                out.write(random.nextInt(8) == 0 ? packet : RawDnsClient.frame(packet));
              } catch (IOException closedByServer) {
                // fine: a desynchronised frame stream may make the server close; keep on UDP
              }
            }
          }
        }
        awaitDrained();
        probe(address, random, seed);
        probes++;
      }
      System.out.printf("fuzz: %d packets, %d probes, %d UDP probe retries, seed %d%n", sent, probes, lostUdpProbes, seed);
      assertThat(lostUdpProbes).as("UDP probes lost after the server drained (seed %d)", seed).isZero();
      assertThat(probes).as("batches probed (seed %d)", seed).isPositive();
      assertThat(sent).isGreaterThanOrEqualTo(Math.min(PACKETS, BATCH));
    }
  }

  /** Packets and frames the server has taken in, to let it drain a burst before probing. */
  private static final AtomicInteger RECEIVED = new AtomicInteger();

  private static int lostUdpProbes;

  private static void probe(InetSocketAddress address, Random random, long seed) {
    Message q = ednsQuery("probe" + random.nextInt(1000) + ".example.", 1232, false);
    byte[] udp = null;
    // UDP may legitimately lose a datagram when the socket buffer overflowed during the batch.
    for (int attempt = 0; attempt < 3 && udp == null; attempt++) {
      udp = RawDnsClient.udp(address, q.toWire(), Duration.ofSeconds(2));
      if (udp == null) {
        lostUdpProbes++;
      }
    }
    assertThat(udp).as("UDP probe answered (seed %d)", seed).isNotNull();
    assertThat(id(udp)).isEqualTo(q.getHeader().getID());
    byte[] tcp = RawDnsClient.tcp(address, q.toWire(), Duration.ofSeconds(5));
    assertThat(tcp).as("TCP probe answered (seed %d)", seed).isNotNull();
    assertThat(id(tcp)).isEqualTo(q.getHeader().getID());
  }

  /**
   * Waits (at most 2 s) until the server stops taking in packets: a burst sent faster than the
   * server reads overflows the kernel's receive buffer, and a probe sent into a full buffer is lost
   * like any datagram, which says nothing about the server's health.
   */
  private static void awaitDrained() {
    long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    int last = -1;
    while (System.nanoTime() < until && RECEIVED.get() != last) {
      last = RECEIVED.get();
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }

  private static int id(byte[] wire) {
    return ((wire[0] & 0xff) << 8) | (wire[1] & 0xff);
  }

  private static List<byte[]> seeds() {
    return List.of(
        query("www.example.com.", Type.A).toWire(),
        query("a.b.c.d.e.example.", Type.TXT).toWire(),
        ednsQuery("MiXeD.eXaMpLe.", 4096, true).toWire(),
        ednsQuery("x.example.", 512, false).toWire(),
        // self-referencing compression pointer in the question
        new byte[] {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 12, 0, 1, 0, 1},
        // forward pointer, answer record with a pointer loop between two names
        new byte[] {0, 2, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 'a', (byte) 0xc0, 18, 0, 1, 0, 1,
          (byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4});
  }

  private static byte[] mutate(byte[] seed, Random random) {
    byte[] p = seed.clone();
    switch (random.nextInt(7)) {
      case 0 -> { // bit flips
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips; i++) {
          int bit = random.nextInt(p.length * 8);
          p[bit / 8] ^= (byte) (1 << (bit % 8));
        }
      }
      case 1 -> p = Arrays.copyOf(p, random.nextInt(p.length + 1)); // truncation
      case 2 -> { // random bytes of random length
        p = new byte[random.nextInt(600)];
        random.nextBytes(p);
      }
      case 3 -> { // bogus section counts
        if (p.length >= 12) {
          for (int i = 4; i < 12; i++) {
            p[i] = (byte) random.nextInt(256);
          }
        }
      }
      case 4 -> { // a compression pointer somewhere, pointing anywhere
        if (p.length >= 14) {
          int at = 12 + random.nextInt(p.length - 13);
          p[at] = (byte) (0xc0 | random.nextInt(64));
          p[at + 1] = (byte) random.nextInt(256);
        }
      }
      case 5 -> { // garbage appended, random opcode and flags
        p = Arrays.copyOf(p, p.length + random.nextInt(100));
        for (int i = seed.length; i < p.length; i++) {
          p[i] = (byte) random.nextInt(256);
        }
        if (p.length >= 4) {
          p[2] = (byte) random.nextInt(256);
          p[3] = (byte) random.nextInt(256);
        }
      }
      default -> { // overwrite a random byte range
        int from = random.nextInt(p.length);
        int to = from + random.nextInt(p.length - from + 1);
        for (int i = from; i < to; i++) {
          p[i] = (byte) random.nextInt(256);
        }
      }
    }
    return p;
  }
}
