package io.tierdns.interop.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code dig} or {@code kdig} against a loopback server. The server address is
 * always given explicitly ({@code @127.0.0.1 -p PORT}) so a test can never query the host's
 * resolver or the outside world.
 */
public final class Dig {

  private final Path binary;
  private final int port;

  private Dig(Path binary, int port) {
    this.binary = binary;
    this.port = port;
  }

  /** ISC dig (BIND 9). */
  public static Dig dig(int port) {
    return new Dig(Binaries.require("dig"), port);
  }

  /** Knot's kdig. */
  public static Dig kdig(int port) {
    return new Dig(Binaries.require("kdig"), port);
  }

  /** Runs the tool with {@code args} after the fixed server arguments and returns stdout+stderr. */
  public Result run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("@127.0.0.1");
    command.add("-p");
    command.add(Integer.toString(port));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out after 30 s: " + String.join(" ", command));
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(String.join(" ", command), process.exitValue(), output);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }

  /** One run: the command line, exit code and combined output. */
  public record Result(String command, int exitCode, String output) {
    /** The status word of the header line, e.g. {@code NOERROR}. */
    public String status() {
      var matcher = java.util.regex.Pattern.compile("status: ([A-Z]+)").matcher(output);
      return matcher.find() ? matcher.group(1) : "";
    }

    @Override
    public String toString() {
      return "$ " + command + " (exit " + exitCode + ")\n" + output;
    }
  }
}
