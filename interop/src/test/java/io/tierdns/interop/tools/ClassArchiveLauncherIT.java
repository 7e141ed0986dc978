package io.tierdns.interop.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.interop.support.Await;
import io.tierdns.interop.support.Binaries;
import io.tierdns.interop.support.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tierdns} with the packaged jar: the first start records the class-data archive with
 * the real training run (the default hierarchy on free ports), and the node it then starts, in
 * the quick form of {@code run}, loads tierdns's own classes from that archive and answers.
 */
class ClassArchiveLauncherIT {

  @TempDir Path dir;

  @Test
  void theFirstStartRecordsTheArchiveAndTheNodeLoadsItsClassesFromIt() throws Exception {
    Path jar = Files.copy(Binaries.requireTierdnsJar(), dir.resolve("tierdns.jar"));
    Path zones = Files.createDirectory(dir.resolve("zones"));
    Files.writeString(zones.resolve("archive.test.zone"), String.join("\n",
        "$ORIGIN archive.test.", "$TTL 300",
        "@ IN SOA ns1 hostmaster 7 3600 600 604800 60", "  IN NS ns1", "ns1 IN A 192.0.2.1", ""));
    int port = FreePorts.udpAndTcp();
    Path classes = dir.resolve("classes.log");
    Path out = dir.resolve("launcher.out");

    ProcessBuilder pb = new ProcessBuilder("bash", Path.of(System.getProperty("tierdns.repo"), "tierdns").toString(),
        "run", "--authoritative", zones.toString(), "--listen", "127.0.0.1:" + port);
    pb.environment().put("TIERDNS_JAR", jar.toString());
    pb.environment().put("JAVA_OPTS", "-Xlog:class+load=info:file=" + classes);
    pb.environment().remove("TIERDNS_CLASS_ARCHIVE");
    pb.redirectErrorStream(true).redirectOutput(out.toFile());
    Process node = pb.start();
    try {
      Await.until(Duration.ofSeconds(150), () -> "the node to answer; launcher output:\n" + read(out),
          () -> Await.soaSerial(port, "archive.test.").orElse(-1) == 7);
    } finally {
      node.destroy();
      assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(read(out)).contains("recording the class-data archive " + dir.resolve("tierdns.jsa"));
    assertThat(dir.resolve("tierdns.jsa")).isNotEmptyFile();
    List<String> loaded = Files.readAllLines(classes);
    assertThat(loaded).as("the node's own classes come from the archive")
        .anyMatch(l -> l.contains("io.tierdns.authoritative.ZoneSnapshot source: shared objects file (top)"))
        .anyMatch(l -> l.contains("io.tierdns.node.NodeRuntime source: shared objects file (top)"));
    assertThat(loaded.stream().filter(l -> l.contains(" io.tierdns.") && l.contains("source: jar:"))).as(
        "tierdns classes loaded from the jar").hasSizeLessThan(20);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
