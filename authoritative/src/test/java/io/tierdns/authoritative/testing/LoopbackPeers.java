package io.tierdns.authoritative.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tierdns.authoritative.acl.TsigKeyConfig;
import io.tierdns.authoritative.acl.TsigKeyring;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/**
 * Real peer processes (Knot DNS, BIND) on loopback for the interop tests: the shared TSIG key,
 * ports, starting and stopping, waiting, and reading a zone's serial and AXFR content.
 */
public final class LoopbackPeers {

  /** The TSIG key every interop test configures on both sides. */
  public static final String KEY_NAME = "xfr-key";

  public static final String SECRET = "Zm9vYmFyLWZvb2Jhci1mb29iYXItZm9vYmFyLTEyMzQ=";

  private LoopbackPeers() {}

  /** Skips the test when {@code binary} is missing, unless CI=true (where it must be installed). */
  public static void assumeInstalled(String binary) {
    if (!"true".equals(System.getenv("CI"))) {
      assumeTrue(Files.isExecutable(Path.of(binary)), binary + " is not installed");
    }
  }

  /** A keyring holding {@link #KEY_NAME} (hmac-sha256). */
  public static TsigKeyring keyring() {
    return TsigKeyring.of(List.of(new TsigKeyConfig(KEY_NAME, "hmac-sha256", SECRET)), Clock.systemUTC());
  }

  /** {@link #KEY_NAME} as a dnsjava client key. */
  public static TSIG key() {
    return keyring().key(TsigKeyring.keyName(KEY_NAME)).orElseThrow();
  }

  /** A loopback port free for both TCP and UDP at the time of the call. */
  public static int freePort() throws IOException {
    for (int i = 0; i < 20; i++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
          return port;
        } catch (IOException e) {
          // UDP taken: try another
        }
      }
    }
    throw new IOException("no free port");
  }

  /** Starts {@code command} with stdout and stderr going to {@code log}. */
  public static Process start(Path log, String... command) throws IOException {
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Runs {@code command} to completion (30 s at most) and returns its output; fails unless it exits 0. */
  public static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }

  /** Stops {@code p} if started: destroy, then destroy forcibly after 10 s. */
  public static void stop(Process p) throws InterruptedException {
    if (p != null) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /** The SOA serial of {@code zone} served at 127.0.0.1:{@code port}, or -1 when there is no answer yet. */
  public static long serialAt(Name zone, int port) {
    try {
      SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
      r.setPort(port);
      r.setTimeout(Duration.ofSeconds(1));
      Message resp = r.send(Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN)));
      for (Record rec : resp.getSection(Section.ANSWER)) {
        if (rec instanceof SOARecord soa) {
          return soa.getSerial();
        }
      }
    } catch (IOException e) {
      // not up yet
    }
    return -1;
  }

  /** Polls {@code condition} for up to 40 s; on timeout fails with {@code what} and the logs. */
  public static void await(String what, BooleanSupplier condition, Path... logs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        StringBuilder b = new StringBuilder("timed out waiting until " + what);
        for (Path l : logs) {
          b.append("\n--- ").append(l).append(":\n").append(Files.exists(l) ? Files.readString(l) : "(none)");
        }
        throw new AssertionError(b.toString());
      }
      Thread.sleep(100); // waiting on other processes, not on our own clock
    }
  }

  /** The records of an AXFR of {@code zone} from 127.0.0.1:{@code port}, as sorted strings. */
  public static Set<String> axfr(Name zone, int port, TSIG key) throws Exception {
    ZoneTransferIn xfr = ZoneTransferIn.newAXFR(zone, "127.0.0.1", port, key);
    xfr.setTimeout(Duration.ofSeconds(20));
    xfr.run();
    Set<String> records = new TreeSet<>();
    for (Record r : xfr.getAXFR()) {
      records.add(r.toString());
    }
    return records;
  }

  /**
   * Writes {@code dir/knot.conf}: knotd on 127.0.0.1:{@code knotPort} with its rundir and control
   * socket in {@code dir}, logging to stderr, knowing {@link #KEY_NAME} and a remote {@code tierdns}
   * at 127.0.0.1:{@code tierdnsPort} signed with it; {@code rest} (acl, database, zone) follows.
   */
  public static Path writeKnotConf(Path dir, int knotPort, int tierdnsPort, String... rest)
      throws IOException {
    String d = dir.toAbsolutePath().toString();
    List<String> lines =
        new ArrayList<>(
            List.of(
                "server:",
                "    rundir: \"" + d + "\"",
                "    listen: 127.0.0.1@" + knotPort,
                "control:",
                "    listen: \"" + d + "/knot.sock\"",
                "log:",
                "  - target: stderr",
                "    any: info",
                "key:",
                "  - id: " + KEY_NAME,
                "    algorithm: hmac-sha256",
                "    secret: " + SECRET,
                "remote:",
                "  - id: tierdns",
                "    address: 127.0.0.1@" + tierdnsPort,
                "    key: " + KEY_NAME));
    lines.addAll(List.of(rest));
    Path file = dir.resolve("knot.conf");
    Files.writeString(file, String.join("\n", lines));
    return file;
  }
}
