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

  /** The options of {@code jvm.options}, comments and blank lines left out, the home put in. */
  static List<String> defaults() throws IOException {
    List<String> options = new ArrayList<>();
    for (String line : Files.readAllLines(ConfigurationExamplesTest.REPO.resolve("jvm.options"))) {
      String option = line.replaceAll("#.*", "").trim().replace("${TIERDNS_HOME}", ConfigurationExamplesTest.REPO.toString());
      if (!option.isEmpty()) {
        options.add(option);
      }
    }
    return options;
  }

  @Test
  void startsTheJarWithJvmOptionsThenJavaOpts() throws Exception {
    List<String> args = javaArguments(ConfigurationExamplesTest.REPO.resolve("tierdns"), "-Xmx3g -XX:NewRatio=2",
        "run", "--authoritative", "zones", "--listen", "127.0.0.1:5353");
    List<String> expected = new ArrayList<>(defaults());
    expected.addAll(List.of("-Xmx3g", "-XX:NewRatio=2", "-jar", dir.resolve("some.jar").toString(),
        "run", "--authoritative", "zones", "--listen", "127.0.0.1:5353"));
    assertThat(args).isEqualTo(expected);
  }

  @Test
  void aCheckoutWhosePathHasASpaceGivesTheDirectivesFileAsOneArgument() throws Exception {
    // jvm.options names a file beside the launcher: the launcher, copied where the path has a space
    Path home = Files.createDirectory(dir.resolve("with space"));
    for (String f : List.of("tierdns", "jvm.options", "jvm.compiler.json")) {
      Files.copy(ConfigurationExamplesTest.REPO.resolve(f), home.resolve(f));
    }
    assertThat(javaArguments(home.resolve("tierdns"), null, "version"))
        .contains("-XX:CompilerDirectivesFile=" + home.resolve("jvm.compiler.json"));
  }

  @Test
  void printsTheOptionsOfJvmOptionsOnePerLineForTheBenchScripts() throws Exception {
    // bench/lib.sh reads them from here: one parser of jvm.options; no jar needed
    ProcessBuilder pb = new ProcessBuilder("bash", ConfigurationExamplesTest.REPO.resolve("tierdns").toString(), "jvm-options");
    pb.environment().put("TIERDNS_JAR", dir.resolve("missing.jar").toString());
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(new String(p.getInputStream().readAllBytes()).lines()).containsExactlyElementsOf(defaults());
  }

  /**
   * The arguments {@code launcher} gives java (a java on the PATH that writes them down, one per
   * line), started with {@code args}, the jar {@code some.jar} (never built) and {@code javaOpts}
   * as JAVA_OPTS (null: none).
   */
  private List<String> javaArguments(Path launcher, String javaOpts, String... args) throws Exception {
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Path written = dir.resolve("args");
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + written + "'\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

    List<String> command = new ArrayList<>(List.of("bash", launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("TIERDNS_JAR", dir.resolve("some.jar").toString());
    if (javaOpts == null) {
      pb.environment().remove("JAVA_OPTS");
    } else {
      pb.environment().put("JAVA_OPTS", javaOpts);
    }
    pb.redirectErrorStream(true);
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    return Files.readAllLines(written);
  }

  /**
   * A java on the PATH that appends each command line to {@code calls} (one line per call) and,
   * asked to record a class-data archive, writes one, unless {@code FAKE_JAVA_FAILS} is set.
   */
  private Path fakeJava(Path calls) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, String.join("\n",
        "#!/bin/bash",
        "echo \"$*\" >> '" + calls + "'",
        "for a in \"$@\"; do case \"$a\" in -XX:ArchiveClassesAtExit=*)",
        "  [ -n \"${FAKE_JAVA_FAILS:-}\" ] && exit 1; echo archive > \"${a#*=}\" ;; esac; done",
        ""));
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  /** Runs the launcher with the fake java and a jar that exists; returns what it printed. */
  private String launch(Path bin, Path jar, java.util.Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", ConfigurationExamplesTest.REPO.resolve("tierdns").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("TIERDNS_JAR", jar.toString());
    pb.environment().remove("JAVA_OPTS");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void recordsTheClassArchiveOncePerJarAndStartsFromIt() throws Exception {
    Path calls = dir.resolve("calls");
    Path bin = fakeJava(calls);
    Path jar = Files.writeString(dir.resolve("node.jar"), "a jar");
    Path archive = dir.resolve("node.jsa");
    String use = "-XX:SharedArchiveFile=" + archive + " -Xlog:cds=off -Xlog:cds+dynamic=off";

    // a command that starts no node does not record it
    assertThat(launch(bin, jar, java.util.Map.of(), "version")).doesNotContain("recording");
    assertThat(Files.readAllLines(calls)).singleElement().asString()
        .doesNotContain("Archive").endsWith("-jar " + jar + " version");
    Files.delete(calls);

    String out = launch(bin, jar, java.util.Map.of(), "up");
    assertThat(out).contains("recording the class-data archive " + archive);
    List<String> lines = Files.readAllLines(calls);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("-XX:ArchiveClassesAtExit=" + archive + ".")
        .endsWith("-cp " + jar + " io.tierdns.node.ClassArchiveTraining");
    assertThat(lines.get(1)).contains(use + " -jar " + jar + " up");
    assertThat(archive).hasContent("archive");

    // recorded: the next start uses it without recording again
    assertThat(launch(bin, jar, java.util.Map.of(), "up")).doesNotContain("recording");
    assertThat(Files.readAllLines(calls)).hasSize(3).last().asString().contains(use);

    // a newer jar (a rebuild) is recorded again
    java.nio.file.attribute.FileTime before = java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000);
    Files.setLastModifiedTime(archive, before);
    Files.setLastModifiedTime(jar, before.from(before.toMillis() + 1_000, TimeUnit.MILLISECONDS));
    assertThat(launch(bin, jar, java.util.Map.of(), "up")).contains("recording");
    assertThat(Files.readAllLines(calls)).hasSize(5).last().asString().contains(use);

    // the option that prints what bench/ adds to its java command lines
    assertThat(launch(bin, jar, java.util.Map.of(), "class-archive").trim()).isEqualTo(use);
    assertThat(Files.readAllLines(calls)).hasSize(5);
  }

  @Test
  void startsWithoutAClassArchiveWhenAskedOrWhenRecordingFails() throws Exception {
    Path calls = dir.resolve("calls");
    Path bin = fakeJava(calls);
    Path jar = Files.writeString(dir.resolve("node.jar"), "a jar");

    launch(bin, jar, java.util.Map.of("TIERDNS_CLASS_ARCHIVE", "off"), "up");
    launch(bin, jar, java.util.Map.of("JAVA_OPTS", "-Xshare:off"), "up");
    assertThat(Files.readAllLines(calls)).hasSize(2).allSatisfy(l -> assertThat(l).doesNotContain("Archive"));

    String out = launch(bin, jar, java.util.Map.of("FAKE_JAVA_FAILS", "1"), "up");
    assertThat(out).contains("no class-data archive (see " + dir.resolve("node.jsa.log") + ")");
    assertThat(Files.readAllLines(calls)).hasSize(4).last().asString()
        .doesNotContain("SharedArchiveFile").endsWith("-jar " + jar + " up");
    assertThat(dir.resolve("node.jsa")).doesNotExist();
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(f -> f.endsWith(".tmp"));
    }
    // not tried again for the same jar and java: the next start goes straight to the node
    assertThat(launch(bin, jar, java.util.Map.of(), "up")).doesNotContain("recording");
    assertThat(Files.readAllLines(calls)).hasSize(5).last().asString().doesNotContain("Archive");
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
