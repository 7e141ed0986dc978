package io.tierdns.node.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.tierdns.node.LocalNodes;
import io.tierdns.node.NodeConfiguration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /metrics}: every meter in the Prometheus text format (version 0.0.4). Under {@code
 * up}, where the nodes share one JVM and only the primary has the admin API, the meters of the
 * other nodes too, each sample labelled {@code node="NAME"} ({@link PrometheusMerge}): each node
 * has a registry of its own, and the caches' {@code cache_*} and the secondaries' {@code
 * zonesync_*} meters were in none that was scraped.
 */
@Controller("/metrics")
public class MetricsController {

  private final PrometheusMeterRegistry registry;
  private final NodeConfiguration node;

  public MetricsController(PrometheusMeterRegistry registry, NodeConfiguration node) {
    this.registry = registry;
    this.node = node;
  }

  @Get
  @Produces("text/plain; version=0.0.4; charset=utf-8")
  public String scrape() {
    String own = registry.scrape();
    Map<String, String> others = new LinkedHashMap<>();
    for (String name : LocalNodes.names()) {
      if (name.equals(node.getNodeName())) {
        continue;
      }
      LocalNodes.node(name)
          .flatMap(c -> c.findBean(PrometheusMeterRegistry.class))
          .filter(r -> r != registry)
          .ifPresent(r -> others.put(name, r.scrape()));
    }
    return others.isEmpty() ? own : PrometheusMerge.merge(own, others);
  }
}
