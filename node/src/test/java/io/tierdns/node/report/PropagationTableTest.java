package io.tierdns.node.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PropagationTableTest {

  @Test
  void printsOneAlignedLinePerNodeWithMeasuredAndEstimate() {
    assertThat(PropagationTable.render(ReportSamples.mixed())).isEqualTo("""
        zone example.test.  serial 2024050103  committed 2024-05-01T12:00:00.120Z
        NODE         ROLE       TIER      STATE           SERIAL     MEASURED  ESTIMATE  BOUND
        secondary    secondary  regional  PROPAGATED  2024050103        14 ms     1.0 s  2.3 s
        regional     cache      regional  PROPAGATED  2024050103        31 ms     1.5 s  3.5 s
        edge         cache      edge      PENDING     2024050102            -     2.0 s  4.8 s
        local <lab>  cache      local     PROPAGATED           -  2.5 s (ttl)     2.5 s  2.5 s
        4 nodes: 3 propagated, 1 pending (edge)
        """);
  }

  @Test
  void aFullyPropagatedChangeSummarisesTheSlowestNode() {
    assertThat(PropagationTable.summary(ReportSamples.done())).isEqualTo("4 nodes: all propagated, slowest 2.5 s");
    assertThat(PropagationTable.pending(ReportSamples.done())).isEmpty();
  }

  @Test
  void durationsReadAsAPersonWouldSayThem() {
    assertThat(PropagationTable.duration(0)).isEqualTo("0 ms");
    assertThat(PropagationTable.duration(999)).isEqualTo("999 ms");
    assertThat(PropagationTable.duration(1500)).isEqualTo("1.5 s");
    assertThat(PropagationTable.duration(125_000)).isEqualTo("2 min 05 s");
    assertThat(PropagationTable.duration(3_720_000)).isEqualTo("1 h 02 min");
  }
}
