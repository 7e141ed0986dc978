package io.tierdns.node;

import io.micronaut.context.env.yaml.YamlPropertySourceLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A topology file for {@code ./tierdns up --topology FILE}: the nodes of a hierarchy, each with
 * the keys of a node's {@code tierdns:} block, started in the order they are written (upstreams
 * first). {@code ${data}} in any string value is the {@code --data} directory.
 *
 * <pre>
 * nodes:
 *   primary:
 *     listen: [127.0.0.1:5300]
 *     authoritative: {zone-directory: "${data}/primary/zones"}
 *   edge-1:
 *     listen: [127.0.0.1:5320]
 *     cache: {tier: edge, upstreams: [127.0.0.1:5300]}
 * </pre>
 */
public final class Topology {

  private Topology() {}

  /** The node property maps of a topology file, by node name, in file order. */
  public static Map<String, Map<String, Object>> load(Path file, Path data) {
    Map<String, Object> flat;
    try (InputStream in = Files.newInputStream(file)) {
      flat = new YamlPropertySourceLoader().read(file.toString(), in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read topology " + file + ": " + e.getMessage(), e);
    }
    Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : flat.entrySet()) {
      String key = e.getKey();
      if (!key.startsWith("nodes.")) {
        throw new IllegalArgumentException(file + ": unknown top-level key '" + key + "' (a topology has only nodes:)");
      }
      String rest = key.substring("nodes.".length());
      int dot = rest.indexOf('.');
      if (dot <= 0) {
        throw new IllegalArgumentException(file + ": node '" + rest + "' has no settings");
      }
      String node = rest.substring(0, dot);
      Map<String, Object> props = nodes.computeIfAbsent(node, n -> {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("tierdns.node-name", n);
        return p;
      });
      props.put("tierdns." + rest.substring(dot + 1), mapStrings(e.getValue(), s -> s.replace("${data}", data.toString())));
    }
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException(file + ": no nodes");
    }
    return nodes;
  }

  /** A property value with every string in it (in lists and maps too) replaced by {@code f}'s. */
  static Object mapStrings(Object value, java.util.function.UnaryOperator<String> f) {
    if (value instanceof String s) {
      return f.apply(s);
    }
    if (value instanceof List<?> list) {
      return list.stream().map(v -> mapStrings(v, f)).toList();
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, mapStrings(v, f)));
      return out;
    }
    return value;
  }
}
