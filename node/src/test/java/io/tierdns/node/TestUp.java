package io.tierdns.node;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The six nodes of {@code ./tierdns up} ({@link UpLayout#nodes}) in this JVM, on free loopback
 * ports instead of :5300–:5321 and :8053 so tests can run next to a real {@code up}, wired by
 * {@link UpZones} as {@code up} wires them.
 *
 * @param api the primary's admin API (key {@code k})
 * @param dns each node's DNS address by node name
 */
public record TestUp(AdminApiClient api, Map<String, String> dns) {

  /** Starts the nodes with {@code nodes}, their data under {@code data}. */
  public static TestUp start(TestNodes nodes, Path data) throws Exception {
    Map<String, Map<String, Object>> layout =
        UpLayout.nodes(ConfigurationExamplesTest.REPO, data, "k", new PrintStream(PrintStream.nullOutputStream()));
    Map<String, String> ports = freePorts();
    Map<String, String> dns = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, Object>> n : layout.entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> props =
          new LinkedHashMap<>((Map<String, Object>) Topology.mapStrings(n.getValue(), s -> ports.getOrDefault(s, s)));
      if (props.containsKey("tierdns.admin.port")) {
        props.put("tierdns.admin.port", -1);
      }
      nodes.start(props);
      dns.put(n.getKey(), ports.get(((List<?>) n.getValue().get("tierdns.listen")).get(0)));
    }
    UpZones.follow(nodes.started());
    return new TestUp(AdminApiClient.of(nodes.started().get(0), "k"), dns);
  }

  /** Each well-known address of the up layout ("127.0.0.1:5300" ...) mapped to a free loopback port. */
  public static Map<String, String> freePorts() throws Exception {
    List<String> fixed = new ArrayList<>();
    fixed.add(UpLayout.PRIMARY_LISTEN);
    fixed.addAll(UpLayout.SECONDARY_LISTEN);
    fixed.add(UpLayout.REGIONAL_LISTEN);
    fixed.addAll(UpLayout.EDGE_LISTEN);
    int[] free = HierarchyTest.freePorts(fixed.size());
    Map<String, String> ports = new LinkedHashMap<>();
    for (int i = 0; i < fixed.size(); i++) {
      ports.put(fixed.get(i), "127.0.0.1:" + free[i]);
    }
    return ports;
  }

  /** An A query for {@code name} to a node over UDP. */
  public Message query(String node, String name) throws Exception {
    String[] hostPort = dns.get(node).split(":");
    SimpleResolver resolver = new SimpleResolver(hostPort[0]);
    resolver.setPort(Integer.parseInt(hostPort[1]));
    resolver.setTimeout(Duration.ofSeconds(2));
    return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, 1)));
  }
}
