package io.tierdns.interop.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the peer binaries (knotd, nsd, named, dig, ...) that the interop suite drives as
 * processes. A missing binary skips the test on a developer machine and fails it when the
 * environment variable {@code CI=true}, so CI can never go green by skipping everything.
 */
public final class Binaries {

  private static final String[] DIRS = {"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/sbin", "/bin"};

  private Binaries() {}

  /** Returns the binary's absolute path, or skips/fails the calling test when it is missing. */
  public static Path require(String name) {
    Optional<Path> found = find(name);
    if (found.isPresent()) {
      return found.get();
    }
    String message = "interop: required binary '" + name + "' is not installed (Debian: see .ci/run)";
    if (isCi()) {
      Assertions.fail(message + "; CI=true makes this a failure");
    }
    Assumptions.abort(message + "; skipping (set CI=true to fail instead)");
    throw new AssertionError("unreachable");
  }

  /** Returns the tierdns shaded jar named by system property {@code tierdns.jar}, or skips/fails. */
  public static Path requireTierdnsJar() {
    String property = System.getProperty("tierdns.jar");
    Path jar = property == null ? null : Path.of(property).toAbsolutePath().normalize();
    if (jar != null && Files.isRegularFile(jar)) {
      return jar;
    }
    String message = "interop: tierdns jar not found at " + jar
        + " (build it with: mvn -B -ntp -o package -DskipTests -pl node)";
    if (isCi()) {
      Assertions.fail(message + "; CI=true makes this a failure");
    }
    Assumptions.abort(message + "; skipping");
    throw new AssertionError("unreachable");
  }

  static Optional<Path> find(String name) {
    String pathEnv = System.getenv().getOrDefault("PATH", "");
    for (String dir : (pathEnv + ":" + String.join(":", DIRS)).split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static boolean isCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }
}
