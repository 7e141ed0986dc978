package io.tierdns.node.report;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;

/** For the tests that read propagation reports from live nodes' admin APIs: parsing and printing them. */
final class LiveReports {

  private static final JsonMapper JSON = JsonMapper.createDefault();

  private LiveReports() {}

  /** A JSON answer of the admin API as a tree. */
  static JsonNode tree(String body) throws IOException {
    return JSON.readValue(body, JsonNode.class);
  }

  /** Whether every node of a report is PROPAGATED (serves the change). */
  static boolean allPropagated(JsonNode report) {
    boolean done = true;
    for (JsonNode n : report.get("nodes").values()) {
      done &= n.get("state").getStringValue().equals("PROPAGATED");
    }
    return done;
  }

  /** A report on one line, "secondary 3/5/260 regional 8/9/520 ..." (measured/estimate/bound ms per node). */
  static String summary(JsonNode report) {
    StringBuilder out = new StringBuilder();
    for (JsonNode n : report.get("nodes").values()) {
      out.append(n.get("node").getStringValue()).append(' ')
          .append(n.get("measuredMs").getLongValue()).append('/')
          .append(n.get("estimateMs").getLongValue()).append('/')
          .append(n.get("upperBoundMs").getLongValue()).append("  ");
    }
    return out.toString().strip();
  }
}
