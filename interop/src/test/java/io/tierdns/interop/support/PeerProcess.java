package io.tierdns.interop.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A DNS server started as a child process on 127.0.0.1 with a free port, its own temporary
 * directory and configuration, and its output captured to {@code DIR/peer.log}.
 *
 * <p>Life cycle: the constructor only records what to serve; {@link #start()} writes the
 * configuration, launches the process and waits until it answers a SOA query for the first
 * zone (or fails with the log printed); {@link #close()} kills it. A JVM shutdown hook kills
 * every peer still running, so an aborted test run leaves nothing behind.
 */
public abstract class PeerProcess implements AutoCloseable {

  private static final Set<PeerProcess> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(PeerProcess::kill), "interop-peer-reaper"));
  }

  private final String name;
  private final Map<String, Path> zones = new LinkedHashMap<>();
  private final Path dir;
  private final int port;
  private Process process;

  /**
   * @param name short peer name used in logs and reports, e.g. {@code knot}
   * @param zones zone name (absolute, e.g. {@code diff.test.}) to master file
   */
  protected PeerProcess(String name, Map<String, Path> zones) {
    this.name = name;
    zones.forEach((zone, file) -> this.zones.put(zone.endsWith(".") ? zone : zone + ".", file.toAbsolutePath()));
    try {
      this.dir = Files.createTempDirectory("tierdns-interop-" + name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.port = FreePorts.udpAndTcp();
  }

  /** Writes the configuration into {@link #dir()} and returns the command line to start. */
  protected abstract List<String> prepare() throws IOException;

  /** How long this kind of server may take to answer its first SOA query. */
  protected Duration startupTimeout() {
    return Duration.ofSeconds(30);
  }

  /** Starts the process and blocks until it answers SOA for the first zone. */
  public final PeerProcess start() {
    List<String> command;
    try {
      command = prepare();
      // appended, so that a restarted peer keeps the log of its earlier runs
      Files.writeString(log(), "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      process = new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
          .start();
    } catch (IOException e) {
      throw new IllegalStateException(name + ": cannot start: " + e.getMessage() + "\n" + logText(), e);
    }
    RUNNING.add(this);
    awaitSoa();
    awaitReady();
    return this;
  }

  /**
   * Called by {@link #start()} once the first zone answers SOA: a peer with more to wait for
   * (an HTTP API) waits here. Does nothing by default.
   */
  protected void awaitReady() {}

  /**
   * Kills the process with SIGKILL ({@code kill -9}: no shutdown hook, no flush) and waits for
   * it to be gone. Its directory stays, so {@link #start()} can restart it on the same data.
   */
  public void killForcibly() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException(name + " still alive 10 s after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The OS process id of the running process. */
  public long pid() {
    return process.pid();
  }

  /** The whole captured log (every run), for assertions on what the peer said. */
  public String fullLog() {
    try {
      return Files.exists(log()) ? Files.readString(log(), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitSoa() {
    String zone = zones.keySet().iterator().next();
    long deadline = System.nanoTime() + startupTimeout().toNanos();
    try (DnsClient client = new DnsClient(port, 500)) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(name + " exited with status " + process.exitValue()
              + " before answering SOA " + zone + "\n" + logText());
        }
        try {
          Optional<Message> answer = client.udp(DnsClient.query(zone, Type.SOA));
          if (answer.isPresent() && answer.get().getRcode() == Rcode.NOERROR
              && !answer.get().getSection(Section.ANSWER).isEmpty()) {
            return;
          }
        } catch (IOException notYet) {
          // port not bound yet (ICMP unreachable): poll again
        }
        Await.pause(200);
      }
    }
    close();
    throw new IllegalStateException(name + " did not answer SOA " + zone + " on 127.0.0.1:" + port
        + " within " + startupTimeout() + "\n" + logText());
  }

  /** The peer's name, e.g. {@code knot}. */
  public String name() {
    return name;
  }

  /** UDP and TCP port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The peer's own temporary directory (configuration, state, log). */
  public Path dir() {
    return dir;
  }

  /** Zones served, name to master file. */
  public Map<String, Path> zones() {
    return zones;
  }

  /** The captured stdout/stderr of the process. */
  public Path log() {
    return dir.resolve("peer.log");
  }

  /** The log's content, for failure messages. */
  public String logText() {
    try {
      List<String> lines = Files.exists(log()) ? Files.readAllLines(log(), StandardCharsets.UTF_8) : List.of();
      int from = Math.max(0, lines.size() - 200);
      return "----- " + name + " log (" + log() + ", last " + (lines.size() - from) + " lines) -----\n"
          + String.join("\n", lines.subList(from, lines.size())) + "\n----- end of " + name + " log -----";
    } catch (IOException e) {
      return "(cannot read " + log() + ": " + e.getMessage() + ")";
    }
  }

  /** Every peer started in this JVM and not yet closed. */
  public static List<PeerProcess> running() {
    return new ArrayList<>(RUNNING);
  }

  @Override
  public void close() {
    kill();
    RUNNING.remove(this);
    if (!Boolean.getBoolean("tierdns.interop.keep")) {
      deleteQuietly(dir);
    }
  }

  private void kill() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** Writes {@code text} to {@code DIR/fileName} and returns the path. */
  protected Path writeFile(String fileName, String text) throws IOException {
    Path file = dir.resolve(fileName);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static void deleteQuietly(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // temp files; the OS cleans /tmp eventually
    }
  }

  @Override
  public String toString() {
    return name + "@127.0.0.1:" + port;
  }
}
