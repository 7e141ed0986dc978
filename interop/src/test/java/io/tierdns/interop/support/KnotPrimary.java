package io.tierdns.interop.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Knot DNS 3.2 as the primary of one zone whose file the test owns: the zone is read from
 * {@link #zoneFile()} (a copy in Knot's directory), which a test may rewrite and then
 * {@link #reload()} ({@code knotc zone-reload}) or restart Knot on. Transfers are allowed to
 * 127.0.0.1, only with the TSIG key when one is given. No journal (IXFR is answered with the
 * whole zone, RFC 1995 §4) and no NOTIFY: the test sends NOTIFY itself.
 */
public final class KnotPrimary extends KnotProcess {

  private final String zone;
  private final TsigKey key;

  /** Knot serving {@code zone} from a copy of {@code file}; transfers signed with {@code key} when not null. */
  public KnotPrimary(String zone, Path file, TsigKey key) throws IOException {
    super("knot-primary", Map.of(zone, file));
    this.zone = zone.endsWith(".") ? zone : zone + ".";
    this.key = key;
    Files.copy(file, zoneFile(), StandardCopyOption.REPLACE_EXISTING);
  }

  /** The zone file Knot loads. */
  public Path zoneFile() {
    return dir().resolve("primary.zone");
  }

  /** Replaces the zone file with a copy of {@code file} (takes effect on {@link #reload()} or restart). */
  public void replaceZoneFile(Path file) throws IOException {
    Files.copy(file, zoneFile(), StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  void appendZoneConfig(StringBuilder conf) {
    if (key != null) {
      appendKey(conf, key);
    }
    conf.append("acl:\n")
        .append("  - id: transfer\n")
        .append("    address: 127.0.0.1\n");
    if (key != null) {
      conf.append("    key: ").append(key.name()).append('\n');
    }
    conf.append("    action: transfer\n")
        .append("template:\n")
        .append("  - id: default\n")
        .append("    storage: \"").append(dir()).append("\"\n")
        .append("    zonefile-sync: -1\n")
        .append("    zonefile-load: whole\n")
        .append("    journal-content: none\n")
        .append("zone:\n")
        .append("  - domain: ").append(zone).append('\n')
        .append("    file: \"").append(zoneFile()).append("\"\n")
        .append("    acl: [transfer]\n");
  }

  /** {@code knotc -c knot.conf -b zone-reload ZONE}; returns knotc's output. */
  public String reload() throws IOException, InterruptedException {
    return knotc("-b", "zone-reload", zone);
  }

  /** Runs {@code knotc -c DIR/knot.conf ARGS} (60 s bound) and returns its output. */
  public String knotc(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(Binaries.require("knotc").toString(), "-c",
        dir().resolve("knot.conf").toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + command);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": " + out);
    }
    return out;
  }

  @Override
  protected Duration startupTimeout() {
    return Duration.ofSeconds(90);
  }
}
