package io.tierdns.interop.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short command (ip, nft, iptables, gcc) to completion, bounded in time, output captured. */
final class Sh {

  private Sh() {}

  /** The command's output (stdout and stderr); fails unless it exits 0 within 30 s. */
  static String run(String... command) {
    Result result = attempt(command);
    if (result.status() != 0) {
      throw new IllegalStateException("`" + String.join(" ", command) + "` exited " + result.status()
          + ": " + result.output());
    }
    return result.output();
  }

  /** The command's exit status and output; status -1 when it could not run or did not end in 30 s. */
  static Result attempt(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out");
      }
      return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** {@code command} found on the PATH (or as an absolute path)? */
  static boolean available(String command) {
    for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin")) {
      if (new java.io.File(dir, command).canExecute()) {
        return true;
      }
    }
    return false;
  }

  record Result(int status, String output) {}
}
