package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ./tierdns} launcher's JVM command line: jvm.options first, then JAVA_OPTS. */
class LauncherTest {

  @TempDir Path dir;

  /** The options of {@code jvm.options}, comments and blank lines left out. */
  private static List<String> defaults() throws IOException {
    List<String> options = new ArrayList<>();
    for (String line : Files.readAllLines(ConfigurationExamplesTest.REPO.resolve("jvm.options"))) {
      String option = line.replaceAll("#.*", "").trim();
      if (!option.isEmpty()) {
        options.add(option);
      }
    }
    return options;
  }

  @Test
  void startsTheJarWithJvmOptionsThenJavaOpts() throws Exception {
    // A java on the PATH that writes down its arguments, one per line.
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Path args = dir.resolve("args");
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + args + "'\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

    ProcessBuilder pb = new ProcessBuilder("bash", ConfigurationExamplesTest.REPO.resolve("tierdns").toString(),
        "run", "--authoritative", "zones", "--listen", "127.0.0.1:5353");
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("TIERDNS_JAR", dir.resolve("some.jar").toString()); // never built
    pb.environment().put("JAVA_OPTS", "-Xmx3g -XX:NewRatio=2");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();

    List<String> expected = new ArrayList<>(defaults());
    expected.addAll(List.of("-Xmx3g", "-XX:NewRatio=2", "-jar", dir.resolve("some.jar").toString(),
        "run", "--authoritative", "zones", "--listen", "127.0.0.1:5353"));
    assertThat(Files.readAllLines(args)).isEqualTo(expected);
  }

  /** Every option is one this JDK takes (a misspelt option would stop every node from starting). */
  @Test
  void theJvmTakesEveryOption() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(defaults());
    command.add("-version");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).doesNotContainIgnoringCase("warning").doesNotContainIgnoringCase("unrecognized");
  }
}
