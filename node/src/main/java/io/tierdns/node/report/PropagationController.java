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

  /**
   * One node's line; {@code measuredMs} is null while pending; {@code upperBoundMs} ≥ {@code
   * estimateMs}; {@code status} null while the node answers as expected; the NOTIFY times are
   * milliseconds from the commit, null when no NOTIFY was sent to the node (or not acknowledged).
   */
  @Serdeable
  public record NodeJson(
      String node, String role, String tier, String state, long serial, @Nullable Long measuredMs,
      long estimateMs, long upperBoundMs, String basis, @Nullable String status,
      @Nullable Long notifySentMs, @Nullable Long notifyAckedMs) {

    /** A line without status and NOTIFY times. */
    public NodeJson(
        String node, String role, String tier, String state, long serial, Long measuredMs,
        long estimateMs, long upperBoundMs, String basis) {
      this(node, role, tier, state, serial, measuredMs, estimateMs, upperBoundMs, basis, null, null, null);
    }

    static NodeJson of(NodeReport n) {
      return new NodeJson(n.node(), n.role().json(), n.tier(), n.state().name(), n.serial(), n.measuredMs(),
          n.estimateMs(), n.upperBoundMs(), n.basis(), n.status(), n.notifySentMs(), n.notifyAckedMs());
    }
  }

  /** The 504 body of a write that waited for propagation in vain; the write itself is durable. */
  @Serdeable
  public record WaitTimeoutJson(String error, String zone, long serial, boolean durable, String scope, List<String> laggards) {}

  /**
   * The "what if" advice for one RRset. TTLs in seconds, times in milliseconds from {@code at}.
   *
   * @param currentTtl the RRset's TTL now (its negative TTL when it does not exist)
   * @param loweredTtl X: the TTL to lower to first
   * @param worstNowMs when a change made now is visible everywhere (the largest bound)
   * @param safeAfter Z: after this instant a change propagates within {@code withinMs}
   * @param withinMs Y
   */
  @Serdeable
  public record EstimateJson(
      String zone, String name, String type, String at, long currentTtl, long loweredTtl, long worstNowMs,
      long safeAfterMs, String safeAfter, long withinMs, String advice, List<EstimateNodeJson> nodes) {}

  /**
   * One node: a change now is expected after {@code estimateMs} and visible by {@code upperBoundMs};
   * after the TTL was lowered, by {@code afterLoweringMs}.
   */
  @Serdeable
  public record EstimateNodeJson(
      String node, String role, String tier, long estimateMs, long upperBoundMs, long afterLoweringMs) {}

  /** The default X when {@code ttl} is not given. */
  static final long DEFAULT_LOWERED_TTL = 60;

  private final PropagationService propagation;
  private final io.tierdns.node.AuthoritativeRole zones;

  public PropagationController(PropagationService propagation, io.tierdns.node.AuthoritativeRole zones) {
    this.propagation = propagation;
    this.zones = zones;
  }

  /**
   * {@code GET .../propagation/estimate?name=www&type=A[&ttl=N]}: before a change, how long a change
   * of that RRset would take per node, and the advice "lower the TTL to X now, and the change will
   * propagate within Y if applied after Z".
   */
  @Get("/{zone}/propagation/estimate")
  public EstimateJson estimate(
      @PathVariable String zone, @QueryValue String name, @QueryValue String type, @Nullable @QueryValue Long ttl) {
    org.xbill.DNS.Name origin = RRsets.zoneName(zone);
    io.tierdns.authoritative.ZoneSnapshot snapshot = zones.zone(origin)
        .orElseThrow(() -> ApiException.notFound("Could not find domain '" + origin + "'"));
    org.xbill.DNS.Name owner;
    try {
      owner = org.xbill.DNS.Name.fromString(name, origin);
    } catch (org.xbill.DNS.TextParseException e) {
      throw ApiException.unprocessable("invalid name '" + name + "'");
    }
    if (!owner.subdomain(origin)) {
      throw ApiException.unprocessable(owner + " is not in zone " + origin);
    }
    int t = org.xbill.DNS.Type.value(type.toUpperCase(java.util.Locale.ROOT));
    if (t < 0) {
      throw ApiException.unprocessable("unknown type '" + type + "'");
    }
    if (ttl != null && (ttl < 0 || ttl > 0x7FFF_FFFFL)) {
      throw ApiException.unprocessable("ttl must be between 0 and 2147483647, got " + ttl);
    }
    org.xbill.DNS.SOARecord soa = snapshot.soa();
    long current = snapshot.rrset(owner, t).map(org.xbill.DNS.RRset::getTTL)
        .orElse(Math.min(soa.getMinimum(), soa.getTTL())); // RFC 2308 §5: a new name was cached negatively
    long lowered = ttl == null ? Math.min(DEFAULT_LOWERED_TTL, current) : ttl;
    PropagationService.Advice advice = propagation.whatIf(origin, owner, t, current * 1000, lowered * 1000);
    PropagationEstimator.WhatIf w = advice.whatIf();
    String rrset = owner + " " + org.xbill.DNS.Type.string(t);
    java.time.Instant safeAfter = advice.at().plusMillis(w.safeAfterMs());
    String text = w.lowering()
        ? "lower the TTL of " + rrset + " from " + current + " to " + w.loweredTtlMs() / 1000 + " now, and the change will "
            + "propagate within " + PropagationTable.duration(w.withinMs()) + " if applied after " + safeAfter
            + " (in " + PropagationTable.duration(w.safeAfterMs()) + ")"
        : "the TTL of " + rrset + " is " + current + " s already; a change made now propagates within "
            + PropagationTable.duration(w.worstNowMs());
    List<EstimateNodeJson> nodes = w.now().entrySet().stream().map(e -> {
      PeerNode p = propagation.peer(origin.toString(), e.getKey());
      return new EstimateNodeJson(e.getKey(), p == null ? "" : p.role().json(), p == null ? "" : p.tier(),
          e.getValue().estimateMs(), e.getValue().upperBoundMs(), w.after().get(e.getKey()).upperBoundMs());
    }).toList();
    return new EstimateJson(origin.toString(), owner.toString(), org.xbill.DNS.Type.string(t), advice.at().toString(),
        current, w.loweredTtlMs() / 1000, w.worstNowMs(), w.safeAfterMs(), safeAfter.toString(), w.withinMs(), text,
        nodes);
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
