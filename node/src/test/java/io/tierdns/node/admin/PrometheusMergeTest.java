package io.tierdns.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusMergeTest {

  private static final String PRIMARY = """
      # HELP wire_queries_total queries
      # TYPE wire_queries_total counter
      wire_queries_total{transport="udp"} 3.0
      # HELP jvm_threads_live_threads threads
      # TYPE jvm_threads_live_threads gauge
      jvm_threads_live_threads 40.0
      # HELP propagation_lag_seconds lag
      # TYPE propagation_lag_seconds gauge
      propagation_lag_seconds{node="edge-1",zone="a."} 0.0
      """;

  private static final String EDGE = """
      # HELP wire_queries_total queries
      # TYPE wire_queries_total counter
      wire_queries_total{transport="udp"} 5.0
      # HELP cache_hits_total hits
      # TYPE cache_hits_total counter
      cache_hits_total{tier="edge"} 2.0
      # HELP cache_entries entries
      # TYPE cache_entries gauge
      cache_entries 7.0
      # HELP jvm_threads_live_threads threads
      # TYPE jvm_threads_live_threads gauge
      jvm_threads_live_threads 40.0
      # HELP propagation_lag_seconds lag
      # TYPE propagation_lag_seconds gauge
      propagation_lag_seconds{node="x",zone="a."} 1.0
      """;

  @Test
  void theOwnScrapeIsKeptAndOtherNodesSamplesJoinTheirFamilyLabelledByNode() {
    Map<String, String> others = new LinkedHashMap<>();
    others.put("edge-1", EDGE);
    others.put("edge-2", EDGE.replace("2.0", "4.0"));

    String merged = PrometheusMerge.merge(PRIMARY, others);

    assertThat(merged).isEqualTo("""
        # HELP wire_queries_total queries
        # TYPE wire_queries_total counter
        wire_queries_total{transport="udp"} 3.0
        wire_queries_total{node="edge-1",transport="udp"} 5.0
        wire_queries_total{node="edge-2",transport="udp"} 5.0
        # HELP jvm_threads_live_threads threads
        # TYPE jvm_threads_live_threads gauge
        jvm_threads_live_threads 40.0
        # HELP propagation_lag_seconds lag
        # TYPE propagation_lag_seconds gauge
        propagation_lag_seconds{node="edge-1",zone="a."} 0.0
        # HELP cache_hits_total hits
        # TYPE cache_hits_total counter
        cache_hits_total{node="edge-1",tier="edge"} 2.0
        cache_hits_total{node="edge-2",tier="edge"} 4.0
        # HELP cache_entries entries
        # TYPE cache_entries gauge
        cache_entries{node="edge-1"} 7.0
        cache_entries{node="edge-2"} 7.0
        """);
  }

  @Test
  void aNodeNameIsEscapedAsALabelValue() {
    assertThat(PrometheusMerge.labelled("m{} 1", "a\"b")).isEqualTo("m{node=\"a\\\"b\"} 1");
  }
}
