package io.tierdns.node.api;

import io.micronaut.context.BeanContext;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import io.tierdns.node.AuthoritativeRole;
import io.tierdns.node.ListenAddress;
import io.tierdns.node.LocalNodes;
import io.tierdns.node.NodeRuntime;
import io.tierdns.node.cache.CacheRole;
import io.tierdns.node.secondary.SecondaryRole;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /api/v1/tierdns/nodes}: the nodes of this process, their roles and addresses. */
@Controller("/api/v1/tierdns/nodes")
public class NodesController {

  /** One node. */
  @Serdeable
  public record NodeJson(String node, List<String> roles, String tier, List<String> listen) {}

  @Get
  public List<NodeJson> nodes() {
    List<NodeJson> out = new ArrayList<>();
    for (String name : LocalNodes.names()) {
      LocalNodes.node(name).ifPresent(c -> out.add(json(name, c)));
    }
    return out;
  }

  private static NodeJson json(String name, BeanContext c) {
    List<String> roles = new ArrayList<>();
    String tier = "";
    if (c.getBean(AuthoritativeRole.class).configured()) {
      roles.add("primary");
      tier = "global";
    }
    if (c.getBean(SecondaryRole.class).configured()) {
      roles.add("secondary");
      tier = "regional";
    }
    CacheRole cache = c.getBean(CacheRole.class);
    if (cache.running()) {
      roles.add("cache");
      tier = tier.isEmpty() ? cache.tier() : tier;
    }
    List<String> listen = c.getBean(NodeRuntime.class).boundAddresses().stream().map(ListenAddress::format).toList();
    return new NodeJson(name, roles, tier, listen);
  }
}
