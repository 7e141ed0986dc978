package io.tierdns.node.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.serde.annotation.Serdeable;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.notify.NotifyState;
import io.tierdns.node.AuthoritativeRole;
import io.tierdns.node.ListenAddress;
import java.util.List;
import org.xbill.DNS.Name;

/** tierdns' own view of a zone on this node: its serial and the NOTIFY state per secondary. */
@Controller("/api/v1/tierdns/zones")
public class NodeStateController {

  private final AuthoritativeRole role;

  public NodeStateController(AuthoritativeRole role) {
    this.role = role;
  }

  /** One secondary's NOTIFY state. Times are ISO-8601, null when not yet. */
  @Serdeable
  public record NotifyJson(
      String secondary, long serial, String status, int attempts,
      @Nullable String lastAttempt, @Nullable String lastAck, @Nullable String lastError) {}

  /** The zone's serial and its NOTIFY state per secondary. */
  @Serdeable
  public record ZoneStateJson(String zone, long serial, List<NotifyJson> secondaries) {}

  @Get("/{zone}")
  public ZoneStateJson state(@PathVariable String zone) {
    Name name = RRsets.zoneName(zone);
    ZoneSnapshot z = role.zone(name).orElseThrow(() -> ApiException.notFound("Could not find domain '" + name + "'"));
    List<NotifyJson> notify = role.notifyStates(name).stream().map(NodeStateController::json).toList();
    return new ZoneStateJson(z.origin().toString(), z.serial(), notify);
  }

  private static NotifyJson json(NotifyState s) {
    return new NotifyJson(
        ListenAddress.format(s.address()),
        s.serial(),
        s.status().name().toLowerCase(java.util.Locale.ROOT),
        s.attempts(),
        s.lastAttempt() == null ? null : s.lastAttempt().toString(),
        s.lastAck() == null ? null : s.lastAck().toString(),
        s.lastError());
  }
}
