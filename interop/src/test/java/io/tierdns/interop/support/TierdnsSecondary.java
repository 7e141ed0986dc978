package io.tierdns.interop.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged tierdns jar as a secondary of one zone: {@code java -XmxN -jar tierdns.jar run
 * --config DIR/tierdns.yml} with a {@code tierdns.secondary} block (journal in
 * {@code DIR/journal}, downstream NOTIFY delay 0, transfers allowed to 127.0.0.0/8).
 *
 * <p>The configuration is written on every {@link #start()}, so a test can change the primaries
 * or a key's secret, {@link #killForcibly()} and start again: the journal stays, and the
 * restarted node serves its last version at once. {@link #start()} returns once the zone
 * answers SOA (the first transfer is done, or the journaled version is serving).
 */
public final class TierdnsSecondary extends PeerProcess {

  private final String zone;
  private final List<String> primaries = new ArrayList<>();
  private final Map<String, TsigKey> keys = new LinkedHashMap<>();
  private final List<String> jvmArgs = new ArrayList<>(List.of("-Xmx512m"));
  private String audit;

  /** A secondary for {@code zone} (absolute, e.g. {@code diff.test.}). */
  public TierdnsSecondary(String zone) {
    super("tierdns-secondary", Map.of(zone, Path.of("(transferred)")));
    this.zone = zone.endsWith(".") ? zone : zone + ".";
  }

  /** Pulls from 127.0.0.1:{@code port}, signed with {@code key} when not null. */
  public TierdnsSecondary primary(int port, TsigKey key) {
    primaries.add("127.0.0.1:" + port + (key == null ? "" : " key:" + key.name()));
    if (key != null) {
      keys.put(key.name(), key);
    }
    return this;
  }

  /** Declares {@code key}, replacing a key of the same name (for the next {@link #start()}). */
  public TierdnsSecondary key(TsigKey key) {
    keys.put(key.name(), key);
    return this;
  }

  /** Replaces the JVM options (default {@code -Xmx512m}) for the next {@link #start()}. */
  public TierdnsSecondary jvm(String... args) {
    jvmArgs.clear();
    jvmArgs.addAll(List.of(args));
    return this;
  }

  /** Turns on the ZONEMD audit against the primaries every {@code interval} (e.g. {@code 2s}). */
  public TierdnsSecondary audit(String interval) {
    this.audit = interval;
    return this;
  }

  /** The journal directory. */
  public Path journalDirectory() {
    return dir().resolve("journal");
  }

  @Override
  protected List<String> prepare() throws IOException {
    Path jar = Binaries.requireTierdnsJar();
    Files.createDirectories(journalDirectory());
    Path config = writeFile("tierdns.yml", yaml());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.addAll(List.of("-jar", jar.toString(), "run", "--config", config.toString()));
    return command;
  }

  private String yaml() {
    StringBuilder y = new StringBuilder()
        .append("tierdns:\n")
        .append("  node-name: secondary-1\n")
        .append("  listen: [\"127.0.0.1:").append(port()).append("\"]\n")
        .append("  secondary:\n")
        .append("    journal-directory: \"").append(journalDirectory()).append("\"\n")
        .append("    notify-delay: 0s\n");
    if (!keys.isEmpty()) {
      y.append("    tsig-keys:\n");
      keys.values().forEach(k -> y.append("      - {name: ").append(k.name()).append(", algorithm: ")
          .append(k.algorithm()).append(", secret: \"").append(k.secret()).append("\"}\n"));
    }
    y.append("    zones:\n")
        .append("      - name: ").append(zone).append('\n')
        .append("        primaries: [")
        .append(String.join(", ", primaries.stream().map(p -> "\"" + p + "\"").toList())).append("]\n")
        .append("        allow-transfer: [\"127.0.0.0/8\"]\n");
    if (audit != null) {
      y.append("        audit-interval: ").append(audit).append('\n');
    }
    return y.toString();
  }

  @Override
  protected Duration startupTimeout() {
    return Duration.ofSeconds(90);
  }
}
