package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;

/**
 * {@code /metrics} of {@code up} ({@link TestUp}): the only one, on the primary's admin API, so it
 * carries every node's meters, each labelled with its node (docs/operations.md).
 */
class UpMetricsTest {

  @TempDir Path data;
  private final TestNodes nodes = new TestNodes();

  @AfterEach
  void stop() {
    nodes.close();
  }

  @Test
  void theCachesAndSecondariesMetersAreScrapedAtThePrimaryLabelledByNode() throws Exception {
    TestUp up = TestUp.start(nodes, data);
    int rcode = -1;
    for (int i = 0; i < 200 && rcode != Rcode.NOERROR; i++) { // bounded: the secondaries' first AXFR
      rcode = up.query("edge-1", "www.example.test.").getRcode();
      Thread.sleep(50);
    }
    assertThat(rcode).isEqualTo(Rcode.NOERROR);
    up.query("edge-1", "www.example.test."); // a hit at edge-1
    up.query("regional", "www.example.test.");

    String metrics = up.api().get("/metrics").body();

    assertThat(metrics)
        .containsPattern("(?m)^cache_hits_total\\{node=\"edge-1\",[^}]*tier=\"edge\"[^}]*} [1-9]")
        .containsPattern("(?m)^cache_misses_total\\{node=\"regional\",[^}]*tier=\"regional\"[^}]*} [1-9]")
        .containsPattern("(?m)^cache_hits_total\\{node=\"edge-2\",")
        .containsPattern("(?m)^wire_queries_total\\{node=\"edge-1\",[^}]*transport=\"udp\"[^}]*} [1-9]")
        .containsPattern("(?m)^wire_queries_total\\{transport=\"udp\"") // the primary's own, as before
        .contains("node=\"secondary-1\"");
    // one HELP and one TYPE per family, the JVM's meters once
    assertThat(metrics.lines().filter(l -> l.startsWith("# TYPE cache_hits_total ")).count()).isEqualTo(1);
    assertThat(metrics.lines().filter(l -> l.startsWith("jvm_threads_live_threads")).count()).isEqualTo(1);
  }
}
