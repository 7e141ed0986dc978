package io.tierdns.node.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Prometheus text exposition (format 0.0.4) out of the scrapes of several nodes of one JVM,
 * as under {@code up}, where the admin API of the primary is the only {@code /metrics}: the
 * admin node's own scrape is kept as it is, and every sample of another node is added to its
 * metric family with the label {@code node="NAME"}, so the two edge caches' {@code
 * cache_hits_total{tier="edge"}} stay two series. Each family keeps one {@code # HELP} and one
 * {@code # TYPE} line, as the format requires.
 *
 * <p>Not copied from the other nodes: the families that describe the whole JVM ({@code jvm_},
 * {@code process_}, {@code system_}; the admin node's are the same numbers), and samples that
 * already carry a {@code node} label (the propagation report's meters, which only the primary
 * keeps).
 *
 * @see <a href="https://prometheus.io/docs/instrumenting/exposition_formats/">Exposition formats</a>
 */
public final class PrometheusMerge {

  private static final Set<String> JVM_WIDE = Set.of("jvm_", "process_", "system_");

  private PrometheusMerge() {}

  /** A metric family as scraped: its comment lines and its samples. */
  private static final class Family {
    final List<String> comments = new ArrayList<>();
    final List<String> samples = new ArrayList<>();
  }

  /**
   * The merged exposition.
   *
   * @param own the scrape of the node serving {@code /metrics}, kept as it is
   * @param others the scrapes of the other nodes, by node name
   */
  public static String merge(String own, Map<String, String> others) {
    Map<String, Family> families = new LinkedHashMap<>();
    parse(own, null, families);
    others.forEach((node, text) -> parse(text, node, families));
    StringBuilder out = new StringBuilder(own.length() * (others.size() + 1));
    for (Family f : families.values()) {
      f.comments.forEach(l -> out.append(l).append('\n'));
      f.samples.forEach(l -> out.append(l).append('\n'));
    }
    return out.toString();
  }

  private static void parse(String text, String node, Map<String, Family> families) {
    String family = null;
    Family current = null;
    boolean fresh = false; // the family was first seen in this scrape: keep its comments
    boolean skip = false;
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        String name = line.substring(7).split(" ", 2)[0];
        if (!name.equals(family)) {
          family = name;
          skip = node != null && JVM_WIDE.stream().anyMatch(name::startsWith);
          fresh = !families.containsKey(name);
          if (!skip) {
            current = families.computeIfAbsent(name, n -> new Family());
          }
        }
        if (fresh && !skip) {
          current.comments.add(line);
        }
        continue;
      }
      if (line.startsWith("#") || skip) {
        continue;
      }
      if (current == null) {
        current = families.computeIfAbsent("", n -> new Family());
      }
      if (node == null) {
        current.samples.add(line);
      } else if (!hasNodeLabel(line)) {
        current.samples.add(labelled(line, node));
      }
    }
  }

  private static boolean hasNodeLabel(String sample) {
    int open = sample.indexOf('{');
    return open >= 0 && (sample.startsWith("node=\"", open + 1) || sample.indexOf(",node=\"", open) >= 0);
  }

  /** The sample with {@code node="NAME"} as its first label. */
  static String labelled(String sample, String node) {
    int open = sample.indexOf('{');
    int space = sample.indexOf(' ');
    String label = "node=\"" + node.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    if (open >= 0 && (space < 0 || open < space)) {
      boolean empty = sample.startsWith("}", open + 1);
      return sample.substring(0, open + 1) + label + (empty ? "" : ",") + sample.substring(open + 1);
    }
    return space < 0 ? sample : sample.substring(0, space) + "{" + label + "}" + sample.substring(space);
  }
}
