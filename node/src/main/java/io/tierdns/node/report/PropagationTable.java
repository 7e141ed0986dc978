package io.tierdns.node.report;

import io.tierdns.node.report.PropagationController.NodeJson;
import io.tierdns.node.report.PropagationController.PropagationJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The terminal form of a propagation report: a heading, one aligned line per node (node, role,
 * tier, state, serial, measured, estimate, upper bound) and a summary. Pure.
 */
public final class PropagationTable {

  private static final String[] HEADER = {"NODE", "ROLE", "TIER", "STATE", "SERIAL", "MEASURED", "ESTIMATE", "BOUND"};

  private PropagationTable() {}

  /** The report as text, each line ending in a newline. */
  public static String render(PropagationJson report) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (NodeJson n : report.nodes()) {
      rows.add(new String[] {
        n.node(), n.role(), n.tier(), n.state(), n.serial() < 0 ? "-" : Long.toString(n.serial()),
        measured(n), duration(n.estimateMs()), duration(n.upperBoundMs())
      });
    }
    int[] width = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("zone ").append(report.zone()).append("  serial ").append(report.serial())
        .append("  committed ").append(report.committedAt()).append('\n');
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == 0 ? "" : "  ").append(pad(row[i], width[i], i >= 4));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    for (NodeJson n : report.nodes()) {
      if (n.status() != null && !"PROPAGATED".equals(n.state())) {
        out.append(n.node()).append(": ").append(n.status()).append('\n');
      }
    }
    out.append(summary(report)).append('\n');
    String notify = notifyLine(report);
    if (!notify.isEmpty()) {
      out.append(notify).append('\n');
    }
    return out.toString();
  }

  /** "3 nodes: 2 propagated, 1 pending (edge)" or "3 nodes: all propagated, slowest 31 ms". */
  public static String summary(PropagationJson report) {
    List<String> pending = pending(report);
    int total = report.nodes().size();
    String nodes = total + (total == 1 ? " node" : " nodes");
    if (total == 0) {
      return "no node other than the primary serves this zone";
    }
    if (pending.isEmpty()) {
      long slowest = report.nodes().stream().mapToLong(n -> n.measuredMs() == null ? 0 : n.measuredMs()).max().orElse(0);
      return nodes + ": all propagated, slowest " + duration(slowest);
    }
    return nodes + ": " + (total - pending.size()) + " propagated, " + pending.size() + " pending ("
        + String.join(", ", pending) + ")";
  }

  /** "NOTIFY sent/acked: secondary 0/2 ms, ..." for the nodes the primary announced the change to; empty without. */
  public static String notifyLine(PropagationJson report) {
    List<String> parts = new ArrayList<>();
    for (NodeJson n : report.nodes()) {
      if (n.notifySentMs() != null) {
        parts.add(n.node() + " " + n.notifySentMs() + "/" + (n.notifyAckedMs() == null ? "-" : n.notifyAckedMs()) + " ms");
      }
    }
    return parts.isEmpty() ? "" : "NOTIFY sent/acked: " + String.join(", ", parts);
  }

  /** The nodes that do not serve the change yet. */
  public static List<String> pending(PropagationJson report) {
    return report.nodes().stream().filter(n -> !"PROPAGATED".equals(n.state())).map(NodeJson::node).toList();
  }

  /** Milliseconds for a person: {@code 14 ms}, {@code 1.5 s}, {@code 2 min 05 s}, {@code 1 h 02 min}. */
  public static String duration(long ms) {
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
  }

  private static String measured(NodeJson n) {
    if (n.measuredMs() == null) {
      return "-";
    }
    // an unsubscribed cache is settled at its estimate, not observed: say so
    return duration(n.measuredMs()) + ("ttl-expiry".equals(n.basis()) ? " (ttl)" : "");
  }

  private static String pad(String s, int width, boolean right) {
    String fill = " ".repeat(width - s.length());
    return right ? fill + s : s + fill;
  }
}
