package io.tierdns.node.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.json.JsonMapper;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.CommitResult;
import io.tierdns.node.api.PdnsModel.CreateZoneJson;
import io.tierdns.node.api.PdnsModel.PatchZoneJson;
import io.tierdns.node.api.PdnsModel.ServerJson;
import io.tierdns.node.api.PdnsModel.ZoneJson;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;

/**
 * The PowerDNS-compatible zone API (the subset external-dns, cert-manager webhooks, lego and
 * octoDNS use): list, fetch, create, PATCH RRsets, delete, notify. Writes run off the event loop
 * (they fsync) and answer with the new serial in {@code X-Tierdns-Serial}.
 */
@Controller("/api/v1/servers")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ZonesController {

  static final String SERIAL_HEADER = "X-Tierdns-Serial";
  private static final String SERVER = "localhost";
  private static final String ZONES_URL = "/api/v1/servers/localhost/zones";

  private final ZoneService zones;
  private final ZoneFactory factory;
  private final io.tierdns.node.report.PropagationService propagation;
  private final JsonMapper mapper;

  public ZonesController(
      ZoneService zones, ZoneFactory factory, io.tierdns.node.report.PropagationService propagation, JsonMapper mapper) {
    this.zones = zones;
    this.mapper = mapper;
    this.factory = factory;
    this.propagation = propagation;
  }

  @Get
  public List<ServerJson> servers() {
    return List.of(server());
  }

  @Get("/{server}")
  public ServerJson server(@PathVariable String server) {
    checkServer(server);
    return server();
  }

  @Get("/{server}/zones")
  public List<ZoneJson> list(@PathVariable String server, @Nullable @QueryValue String zone) {
    checkServer(server);
    if (zone != null) {
      Name name = RRsets.zoneName(zone);
      return zones.zone(name).map(z -> List.of(json(z, false))).orElse(List.of());
    }
    return zones.zones().stream().map(z -> json(z, false)).toList();
  }

  @Get("/{server}/zones/{zone}")
  public ZoneJson get(@PathVariable String server, @PathVariable String zone) {
    checkServer(server);
    return json(find(zone), true);
  }

  @Post(value = "/{server}/zones", consumes = MediaType.ALL)
  public MutableHttpResponse<ZoneJson> create(@PathVariable String server, @Body byte[] json) {
    checkServer(server);
    CreateZoneJson body = read(json, CreateZoneJson.class);
    Name name = RRsets.zoneName(body.name());
    ZoneSnapshot created = zones.create(name, factory.records(name, body));
    return HttpResponse.status(HttpStatus.CREATED)
        .header(SERIAL_HEADER, Long.toString(created.serial()))
        .body(json(created, true));
  }

  /**
   * Applies RRset changes as one new serial. With {@code ?wait=secondaries|all[&timeout=10s]} it
   * answers only once those nodes serve the new serial (docs/propagation.md), or 504 naming the
   * laggards; the write is durable either way.
   */
  @Patch(value = "/{server}/zones/{zone}", consumes = MediaType.ALL)
  public MutableHttpResponse<?> patch(
      @PathVariable String server, @PathVariable String zone, @Body byte[] json,
      @Nullable @QueryValue String wait, @Nullable @QueryValue String timeout) {
    checkServer(server);
    PatchZoneJson body = read(json, PatchZoneJson.class);
    Name name = RRsets.zoneName(zone);
    io.tierdns.node.report.WaitScope scope;
    java.time.Duration limit;
    try {
      // parsed before the commit: a bad parameter must not leave a write behind
      scope = wait == null ? null : io.tierdns.node.report.WaitScope.parse(wait);
      limit = timeout == null ? java.time.Duration.ofSeconds(10)
          : io.micronaut.core.convert.ConversionService.SHARED.convert(timeout, java.time.Duration.class)
              .orElseThrow(() -> new IllegalArgumentException("timeout must be a duration such as 10s, not '" + timeout + "'"));
    } catch (IllegalArgumentException e) {
      throw ApiException.unprocessable(e.getMessage());
    }
    var changes = RRsets.toChanges(name, body.rrsets());
    CommitResult result = zones.commit(name, current -> changes);
    if (scope != null) {
      List<String> laggards = propagation.await(name, result.serial(), scope, limit);
      if (!laggards.isEmpty()) {
        return HttpResponse.status(HttpStatus.GATEWAY_TIMEOUT)
            .header(SERIAL_HEADER, Long.toString(result.serial()))
            .body(new io.tierdns.node.report.PropagationController.WaitTimeoutJson(
                "serial " + result.serial() + " is durable at the primary but not yet served by " + laggards
                    + " after " + limit,
                name.toString(), result.serial(), true, scope.name().toLowerCase(java.util.Locale.ROOT), laggards));
      }
    }
    return HttpResponse.<Void>status(HttpStatus.NO_CONTENT)
        .header(SERIAL_HEADER, Long.toString(result.serial()));
  }

  @Delete("/{server}/zones/{zone}")
  public HttpResponse<Void> delete(@PathVariable String server, @PathVariable String zone) {
    checkServer(server);
    zones.delete(find(zone).origin());
    return HttpResponse.noContent();
  }

  @Put("/{server}/zones/{zone}/notify")
  public Map<String, String> notify(@PathVariable String server, @PathVariable String zone) {
    checkServer(server);
    ZoneSnapshot z = find(zone);
    zones.notifySecondaries(z.origin());
    return Map.of("result", "Notification queued for serial " + z.serial());
  }

  @Get(value = "/{server}/zones/{zone}/export", produces = "text/plain")
  public String export(@PathVariable String server, @PathVariable String zone) {
    checkServer(server);
    StringBuilder out = new StringBuilder();
    find(zone).records().forEach(r -> out.append(RRsets.line(r)).append('\n'));
    return out.toString();
  }

  /**
   * A request body read as JSON whatever its Content-Type, as PowerDNS reads it: {@code curl -d}
   * sends {@code application/x-www-form-urlencoded} unless told otherwise.
   */
  private <T> T read(byte[] json, Class<T> type) {
    T body;
    try {
      body = json == null || json.length == 0 ? null : mapper.readValue(json, type);
    } catch (IOException | RuntimeException e) {
      throw new ApiException(400, "Invalid JSON: " + e.getMessage());
    }
    if (body == null) {
      throw new ApiException(400, "Request body is missing or not a JSON object");
    }
    return body;
  }

  private ZoneSnapshot find(String zone) {
    Name name = RRsets.zoneName(zone);
    return zones.zone(name).orElseThrow(() -> ApiException.notFound("Could not find domain '" + name + "'"));
  }

  private ZoneJson json(ZoneSnapshot z, boolean withRRsets) {
    String id = z.origin().toString();
    return new ZoneJson(
        id,
        id,
        ZONES_URL + "/" + id,
        "Native",
        z.serial(),
        zones.notifiedSerial(z.origin()),
        z.serial(),
        List.of(),
        false,
        "",
        withRRsets ? RRsets.fromSnapshot(z) : null);
  }

  private static ServerJson server() {
    return new ServerJson(
        "Server", SERVER, "authoritative", "tierdns", "/api/v1/servers/localhost",
        "/api/v1/servers/localhost/config{/config_setting}", ZONES_URL + "{/zone}");
  }

  private static void checkServer(String server) {
    if (!SERVER.equals(server)) {
      throw ApiException.notFound("Not Found");
    }
  }
}
