package io.tierdns.node.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The JSON shapes of the PowerDNS Authoritative HTTP API subset tierdns speaks, as records. Fields
 * PowerDNS clients send that tierdns does not use are accepted and ignored.
 *
 * @see <a href="https://doc.powerdns.com/authoritative/http-api/zone.html">PowerDNS zone API</a>
 */
public final class PdnsModel {

  private PdnsModel() {}

  /** One record of an RRset: presentation-format rdata and PowerDNS' disabled flag. */
  @Serdeable
  public record RecordJson(String content, @Nullable Boolean disabled) {}

  /** A comment on an RRset; kept for shape compatibility, not stored. */
  @Serdeable
  public record CommentJson(@Nullable String content, @Nullable String account, @Nullable Long modified_at) {}

  /** An RRset, in zone objects and in PATCH bodies ({@code changetype} only in PATCH). */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RRsetJson(
      @Nullable String name,
      @Nullable String type,
      @Nullable Long ttl,
      @Nullable String changetype,
      @Nullable List<RecordJson> records,
      @Nullable List<CommentJson> comments) {}

  /** A zone object. {@code rrsets} is present only when one zone is fetched. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ZoneJson(
      String id,
      String name,
      String url,
      String kind,
      long serial,
      @JsonProperty("notified_serial") long notifiedSerial,
      @JsonProperty("edited_serial") long editedSerial,
      List<String> masters,
      boolean dnssec,
      String account,
      @Nullable List<RRsetJson> rrsets) {}

  /** The body of {@code POST .../zones}. */
  @Serdeable
  public record CreateZoneJson(
      @Nullable String name,
      @Nullable String kind,
      @Nullable List<String> nameservers,
      @Nullable List<RRsetJson> rrsets) {}

  /** The body of {@code PATCH .../zones/{zone}}. */
  @Serdeable
  public record PatchZoneJson(@Nullable List<RRsetJson> rrsets) {}

  /** A server object ({@code GET /api/v1/servers}). */
  @Serdeable
  public record ServerJson(
      String type,
      String id,
      @JsonProperty("daemon_type") String daemonType,
      String version,
      String url,
      @JsonProperty("config_url") String configUrl,
      @JsonProperty("zones_url") String zonesUrl) {}

  /** An error body, as PowerDNS sends it. */
  @Serdeable
  public record ErrorJson(String error) {}
}
