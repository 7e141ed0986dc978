package io.tierdns.node.secondary;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.core.annotation.Nullable;
import io.tierdns.node.LocalNodes;
import io.tierdns.node.api.ApiException;
import io.tierdns.node.api.RRsets;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;

/**
 * The secondary's state and manual triggers: {@code GET /api/v1/tierdns/secondary/zones[/{zone}]},
 * {@code POST .../{zone}/refresh} and {@code POST .../{zone}/audit}.
 */
@Controller("/api/v1/tierdns/secondary/zones")
public class SecondaryController {

  private final SecondaryRole role;

  public SecondaryController(SecondaryRole role) {
    this.role = role;
  }

  @Get
  public List<Object> zones(@Nullable @QueryValue String node) {
    return role(node).states().stream().map(SecondaryController::json).toList();
  }

  @Get("/{zone}")
  public Object zone(@PathVariable String zone, @Nullable @QueryValue String node) {
    Name name = RRsets.zoneName(zone);
    return role(node).states().stream()
        .filter(s -> s.zone().equals(name))
        .findFirst()
        .map(SecondaryController::json)
        .orElseThrow(() -> ApiException.notFound("zone " + name + " is not a secondary zone here"));
  }

  @Post("/{zone}/refresh")
  public Map<String, String> refresh(@PathVariable String zone, @Nullable @QueryValue String node) {
    Name name = RRsets.zoneName(zone);
    if (!role(node).refreshNow(name)) {
      throw ApiException.notFound("zone " + name + " is not a secondary zone here");
    }
    return Map.of("result", "refresh started for " + name);
  }

  @Post("/{zone}/audit")
  public Map<String, String> audit(@PathVariable String zone, @Nullable @QueryValue String node) {
    Name name = RRsets.zoneName(zone);
    if (!role(node).auditNow(name)) {
      throw ApiException.notFound("zone " + name + " is not a secondary zone here");
    }
    return Map.of("result", "ZONEMD audit started for " + name);
  }

  /** This node's secondary role, or that of another node of this process (under up). */
  private SecondaryRole role(String node) {
    if (node == null || node.isBlank()) {
      return role;
    }
    return LocalNodes.node(node)
        .map(c -> c.getBean(SecondaryRole.class))
        .orElseThrow(() -> ApiException.notFound("no node '" + node + "' here; nodes: " + LocalNodes.names()));
  }

  /** A state value as plain JSON: records become objects, names and times strings. */
  static Object json(Object value) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Record record) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (RecordComponent c : record.getClass().getRecordComponents()) {
        try {
          out.put(c.getName(), json(c.getAccessor().invoke(record)));
        } catch (ReflectiveOperationException e) {
          out.put(c.getName(), String.valueOf(e));
        }
      }
      return out;
    }
    if (value instanceof Collection<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(json(v)));
      return out;
    }
    if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(java.util.Locale.ROOT);
    }
    return value.toString();
  }
}
