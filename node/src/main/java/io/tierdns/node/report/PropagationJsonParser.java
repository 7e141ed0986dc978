package io.tierdns.node.report;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.tierdns.node.report.PropagationController.NodeJson;
import io.tierdns.node.report.PropagationController.PropagationJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the body of {@code GET .../propagation} back into {@link PropagationJson}, for the CLI. */
public final class PropagationJsonParser {

  private static final JsonMapper JSON = JsonMapper.createDefault();

  private PropagationJsonParser() {}

  /** Parses a report; throws IllegalArgumentException naming what is missing or malformed. */
  public static PropagationJson parse(String body) {
    JsonNode root;
    try {
      root = JSON.readValue(body, JsonNode.class);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a propagation report: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a propagation report: expected a JSON object");
    }
    List<NodeJson> nodes = new ArrayList<>();
    JsonNode array = required(root, "nodes");
    for (JsonNode n : array.values()) {
      JsonNode measured = n.get("measuredMs");
      long estimate = required(n, "estimateMs").getLongValue();
      // a report of a node without bounds reads as estimate = bound
      JsonNode bound = n.get("upperBoundMs");
      nodes.add(new NodeJson(
          text(n, "node"), text(n, "role"), text(n, "tier"), text(n, "state"),
          required(n, "serial").getLongValue(),
          measured == null || measured.isNull() ? null : measured.getLongValue(),
          estimate,
          bound == null || bound.isNull() ? estimate : bound.getLongValue(),
          n.get("basis") == null || n.get("basis").isNull() ? "" : n.get("basis").getStringValue(),
          optionalText(n, "status"), optionalLong(n, "notifySentMs"), optionalLong(n, "notifyAckedMs")));
    }
    return new PropagationJson(text(root, "zone"), required(root, "serial").getLongValue(),
        text(root, "committedAt"), nodes);
  }

  /** The {@code error} of an admin API error body, or the body itself when it has none. */
  public static String errorMessage(String body) {
    try {
      JsonNode root = JSON.readValue(body, JsonNode.class);
      JsonNode error = root == null ? null : root.get("error");
      if (error == null) {
        error = root == null ? null : root.get("message");
      }
      if (error != null && error.isString()) {
        return error.getStringValue();
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: show it as it came
    }
    return body == null || body.isBlank() ? "(empty body)" : body.strip();
  }

  private static JsonNode required(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("not a propagation report: no \"" + field + "\"");
    }
    return v;
  }

  private static String optionalText(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.coerceStringValue();
  }

  private static Long optionalLong(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() || !v.isNumber() ? null : v.getLongValue();
  }

  private static String text(JsonNode n, String field) {
    return required(n, field).coerceStringValue();
  }
}
