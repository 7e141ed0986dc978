package io.tierdns.interop.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code nsupdate} (BIND 9) against 127.0.0.1:{@code port}: the script gets its
 * {@code server 127.0.0.1 PORT} line first, so it can never reach another server, and ends with
 * {@code send}. The key, when given, is passed as {@code -y ALG:NAME:SECRET}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2136">RFC 2136 UPDATE</a>
 */
public final class Nsupdate {

  private final Path binary;
  private final int port;

  private Nsupdate(Path binary, int port) {
    this.binary = binary;
    this.port = port;
  }

  public static Nsupdate to(int port) {
    return new Nsupdate(Binaries.require("nsupdate"), port);
  }

  /** Runs {@code lines} (without server and send) signed with {@code key}, or unsigned when null. */
  public Dig.Result run(TsigKey key, String... lines) {
    List<String> command = new ArrayList<>(List.of(binary.toString(), "-t", "5", "-u", "2", "-r", "1"));
    if (key != null) {
      command.add("-y");
      command.add(key.digArgument());
    }
    StringBuilder script = new StringBuilder("server 127.0.0.1 ").append(port).append('\n');
    for (String line : lines) {
      script.append(line).append('\n');
    }
    script.append("send\n");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(script.toString().getBytes(StandardCharsets.UTF_8));
      }
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("nsupdate timed out after 30 s:\n" + script);
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Dig.Result(String.join(" ", command) + " <<EOF\n" + script + "EOF", process.exitValue(), output);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running nsupdate", e);
    }
  }
}
