package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/lib.sh's {@code latency_percentiles}: the percentiles leave out a run's first answers
 * (dnsperf's start burst, docs/benchmarks.md) and the whole run's p99 / p99.9 come after them.
 */
class BenchLatencyTest {

  @TempDir Path dir;

  @Test
  void percentilesLeaveOutTheStartBurstAndTheWholeRunIsKeptBesideThem() throws Exception {
    List<String> lines = new ArrayList<>(List.of("DNS Performance Testing Tool", "[Status] ..."));
    for (int i = 0; i < 100; i++) {
      lines.add("> NOERROR q" + i + ".test. A 0.002500"); // the burst: 2.5 ms
    }
    for (int i = 0; i < 900; i++) {
      lines.add("> NOERROR r" + i + ".test. A 0.000" + (100 + i % 10)); // 0.100-0.109 ms
    }
    lines.add("> T lost.test. A");
    Path out = dir.resolve("latency.txt");
    Files.write(out, lines);

    assertThat(percentiles(out, 100)).isEqualTo("0.105 0.109 0.109 1000 1 2.500 2.500");
    assertThat(percentiles(out, 0)).isEqualTo("0.105 2.500 2.500 1000 1 2.500 2.500");
  }

  private String percentiles(Path file, int skip) throws Exception {
    Path repo = ConfigurationExamplesTest.REPO;
    ProcessBuilder pb =
        new ProcessBuilder(
            "bash",
            "-c",
            "ROOT=\"$1\"; . \"$1/bench/lib.sh\" && latency_percentiles \"$2\" \"$3\"",
            "bash",
            repo.toString(),
            file.toString(),
            Integer.toString(skip));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes()).strip();
    assertThat(p.exitValue()).as(output).isZero();
    return output;
  }
}
