package io.tierdns.interop.answers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.tierdns.interop.diff.DifferentialRun;
import io.tierdns.interop.diff.DifferentialRun.Transport;
import io.tierdns.interop.support.DumpPeerLogsOnFailure;
import io.tierdns.interop.support.PeerProcess;
import io.tierdns.interop.support.ZoneGenerator;
import io.tierdns.interop.support.ZoneGenerator.Generated;
import io.tierdns.interop.support.ZoneGenerator.Query;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario {@code interop/answers/A_B}: the same generated zones served by two servers, the
 * same few thousand queries sent to both, every answer compared (rcode, flags, question,
 * sections as RRset multisets, OPT). Differences outside the documented allow-list fail the
 * test with the first 20 of them; the full list goes to
 * {@code target/interop-reports/answers-A_B-TRANSPORT.txt}.
 *
 * <p>System properties: {@code tierdns.interop.seed} (default 20240101) and
 * {@code tierdns.interop.names} (default 2500) choose the zone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DumpPeerLogsOnFailure.class)
abstract class AnswersScenario {

  private static final int REPORTED = 20;

  private Generated zones;
  private PeerProcess a;
  private PeerProcess b;

  /** Server A of the pair (named first in the scenario). */
  abstract PeerProcess serverA(Map<String, Path> zones);

  /** Server B of the pair. */
  abstract PeerProcess serverB(Map<String, Path> zones);

  @BeforeAll
  void startServers() throws Exception {
    long seed = Long.getLong("tierdns.interop.seed", 20240101L);
    int names = Integer.getInteger("tierdns.interop.names", 2500);
    zones = new ZoneGenerator(seed, names).writeTo(Files.createTempDirectory("tierdns-interop-zones-"));
    ZoneGenerator.check(zones);
    a = serverA(zones.zones()).start();
    b = serverB(zones.zones()).start();
  }

  @AfterAll
  void stopServers() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  @Test
  void sameAnswersOverUdpWithEdns() throws Exception {
    assertSameAnswers(Transport.UDP, zones.queries(), Duration.ofSeconds(180));
  }

  @Test
  void sameAnswersOverTcpForASample() throws Exception {
    List<Query> sample = new ArrayList<>();
    for (int i = 0; i < zones.queries().size(); i += 10) {
      sample.add(zones.queries().get(i));
    }
    // every query whose UDP answer is truncated must be answered in full over TCP
    zones.queries().stream().filter(q -> q.kind().contains("large")).forEach(sample::add);
    assertSameAnswers(Transport.TCP, sample, Duration.ofSeconds(120));
  }

  private void assertSameAnswers(Transport transport, List<Query> queries, Duration deadline) throws Exception {
    DifferentialRun.Result result = new DifferentialRun(a, b, transport, 4, deadline).run(queries);
    Path report = result.writeReport(Path.of("target", "interop-reports",
        "answers-" + a.name() + "_" + b.name() + "-" + transport.name().toLowerCase() + ".txt"));
    System.out.println(result.summary() + " (seed " + zones.seed() + ", " + zones.names() + " names; report " + report.toAbsolutePath() + ")");
    assertThat(result.unsent()).as("queries not sent within %s", deadline).isZero();
    if (!result.unexplained().isEmpty()) {
      fail("answers differ outside the allow-list (seed " + zones.seed() + ", full report " + report.toAbsolutePath() + ")\n"
          + result.report(REPORTED));
    }
  }
}
