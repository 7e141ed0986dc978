package io.tierdns.node.report;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.serde.annotation.Serdeable;
import io.tierdns.node.api.ApiException;
import io.tierdns.node.api.RRsets;
import java.util.List;

/**
 * {@code GET /api/v1/tierdns/zones/{zone}/propagation[?serial=N]}: where a change stands at every
 * node but the primary (the latest change by default). See {@code docs/propagation.md}.
 */
@Controller("/api/v1/tierdns/zones")
public class PropagationController {

  /** The report of one change. */
  @Serdeable
  public record PropagationJson(String zone, long serial, String committedAt, List<NodeJson> nodes) {
    static PropagationJson of(Change c) {
      return new PropagationJson(c.zone(), c.serial(), c.committedAt().toString(),
          c.nodes().stream().map(NodeJson::of).toList());
    }
  }

  /** One node's line; {@code measuredMs} is null while pending; {@code upperBoundMs} ≥ {@code estimateMs}. */
  @Serdeable
  public record NodeJson(
      String node, String role, String tier, String state, long serial, @Nullable Long measuredMs,
      long estimateMs, long upperBoundMs, String basis) {
    static NodeJson of(NodeReport n) {
      return new NodeJson(n.node(), n.role().json(), n.tier(), n.state().name(), n.serial(), n.measuredMs(),
          n.estimateMs(), n.upperBoundMs(), n.basis());
    }
  }

  /** The 504 body of a write that waited for propagation in vain; the write itself is durable. */
  @Serdeable
  public record WaitTimeoutJson(String error, String zone, long serial, boolean durable, String scope, List<String> laggards) {}

  private final PropagationService propagation;

  public PropagationController(PropagationService propagation) {
    this.propagation = propagation;
  }

  @Get("/{zone}/propagation")
  public PropagationJson propagation(@PathVariable String zone, @Nullable @QueryValue Long serial) {
    String name = RRsets.zoneName(zone).toString();
    return propagation.tracker().change(name, serial).map(PropagationJson::of)
        .orElseThrow(() -> ApiException.notFound(serial == null
            ? "no change of " + name + " recorded on this node"
            : "no change of " + name + " with serial " + serial + " recorded (the last "
                + PropagationTracker.DEFAULT_HISTORY + " are kept)"));
  }
}
