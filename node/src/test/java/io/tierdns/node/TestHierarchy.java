package io.tierdns.node;

import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole hierarchy of the integration tests in this JVM on free loopback ports: primary →
 * secondary → regional cache → edge cache, subscriptions on, serving the repository's
 * {@code examples/zones/example.test.zone}. The primary has the admin API, key {@link #API_KEY}.
 *
 * @param primary the primary node (name "primary")
 * @param edge the edge cache node (name "edge")
 * @param regionalAddress the DNS address of the regional cache, for a further cache below it
 */
public record TestHierarchy(ApplicationContext primary, ApplicationContext edge, String regionalAddress) {

  /** The admin API key of the primary (and of the caches when they have the admin API). */
  public static final String API_KEY = "k";

  /**
   * A PATCH body for the admin API replacing {@code www.example.test. A} (TTL 300) with one address
   * {@code 192.0.2.%d}: format it with the last octet.
   */
  public static final String CHANGE =
      "{\"rrsets\":[{\"name\":\"www.example.test.\",\"type\":\"A\",\"ttl\":300,\"changetype\":\"REPLACE\","
          + "\"records\":[{\"content\":\"192.0.2.%d\"}]}]}";

  /**
   * Starts the four nodes with {@code nodes}, keeping their files under {@code tmp}; the caches get
   * the admin API (key {@link #API_KEY}) too when {@code adminOnCaches}. Returns once they are
   * started, not once the secondary and the caches have their first copy of the zone.
   */
  public static TestHierarchy start(TestNodes nodes, Path tmp, boolean adminOnCaches) throws Exception {
    int[] p = HierarchyTest.freePorts(4);
    String primary = "127.0.0.1:" + p[0];
    String secondary = "127.0.0.1:" + p[1];
    String regional = "127.0.0.1:" + p[2];
    String edge = "127.0.0.1:" + p[3];
    Path zones = TestNodes.exampleZones(tmp);
    ApplicationContext primaryNode = nodes.start(Map.of(
        "tierdns.node-name", "primary",
        "tierdns.listen", List.of(primary),
        "tierdns.authoritative.zone-directory", zones.toString(),
        "tierdns.authoritative.notify-delay", "0s",
        "tierdns.authoritative.zone-defaults.notify", List.of(secondary),
        "tierdns.authoritative.zone-defaults.allow-transfer", List.of("127.0.0.0/8"),
        "tierdns.admin.enabled", true, "tierdns.admin.port", -1, "tierdns.admin.api-key", API_KEY));
    nodes.start(Map.of(
        "tierdns.node-name", "secondary",
        "tierdns.listen", List.of(secondary),
        "tierdns.secondary.journal-directory", tmp.resolve("sec").toString(),
        "tierdns.secondary.notify-delay", "0s",
        "tierdns.secondary.zones", List.of(Map.of("name", "example.test", "primaries", List.of(primary),
            "notify", List.of(regional), "allow-transfer", List.of("127.0.0.0/8")))));
    nodes.start(cache("regional", "regional", regional, secondary, edge, adminOnCaches));
    ApplicationContext edgeNode = nodes.start(cache("edge", "edge", edge, regional, null, adminOnCaches));
    return new TestHierarchy(primaryNode, edgeNode, regional);
  }

  /** The admin API of the primary. */
  public AdminApiClient primaryApi() {
    return AdminApiClient.of(primary, API_KEY);
  }

  /** The admin API of the edge cache (started with {@code adminOnCaches} only). */
  public AdminApiClient edgeApi() {
    return AdminApiClient.of(edge, API_KEY);
  }

  private static Map<String, Object> cache(
      String name, String tier, String listen, String upstream, String subscriber, boolean admin) {
    Map<String, Object> props = Map.of(
        "tierdns.node-name", name,
        "tierdns.listen", List.of(listen),
        "tierdns.cache.tier", tier,
        "tierdns.cache.upstreams", List.of(upstream),
        "tierdns.cache.subscriptions", List.of(Map.of("zone", "example.test", "upstreams", List.of(upstream),
            "notify", subscriber == null ? List.of() : List.of(subscriber))));
    if (!admin) {
      return props;
    }
    Map<String, Object> withAdmin = new HashMap<>(props);
    withAdmin.putAll(Map.of("tierdns.admin.enabled", true, "tierdns.admin.port", -1, "tierdns.admin.api-key", API_KEY));
    return withAdmin;
  }
}
