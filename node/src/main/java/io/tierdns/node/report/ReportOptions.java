package io.tierdns.node.report;

import io.tierdns.node.CliArguments.UsageException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The arguments of {@code tierdns report propagation ZONE [--serial N] [--format table|json|html]
 * [--api URL] [--watch] [--out FILE]}. Pure: parsed and checked without I/O.
 *
 * @param zone the zone as given (the API accepts it with or without the trailing dot)
 * @param serial the change's serial, or null for the latest
 * @param format how the report is printed
 * @param api the admin API's base URL
 * @param watch whether to refresh until every node serves the change (or the watch limit passes)
 * @param out where {@code html} is written, or null for standard output
 * @param whatIfName with {@code --what-if NAME TYPE [--ttl X]}: the RRset's owner, else null (then the
 *     command asks the advisor instead of reporting a change)
 * @param whatIfType the RRset's type, or null
 * @param ttl the TTL to lower to first (X, seconds), or null for the advisor's default
 */
public record ReportOptions(
    String zone, Long serial, Format format, URI api, boolean watch, Path out, String whatIfName, String whatIfType,
    Long ttl) {

  /** A report of a change (no {@code --what-if}). */
  public ReportOptions(String zone, Long serial, Format format, URI api, boolean watch, Path out) {
    this(zone, serial, format, api, watch, out, null, null, null);
  }

  /** The admin API of {@code ./tierdns up}'s primary. */
  public static final URI DEFAULT_API = URI.create("http://127.0.0.1:8053");

  /** How a report is printed. */
  public enum Format {
    TABLE,
    JSON,
    HTML
  }

  /** Parses the arguments after {@code report}; throws {@link UsageException} saying what is wrong. */
  public static ReportOptions parse(List<String> args) {
    if (args.isEmpty()) {
      throw new UsageException("report needs a subject: report propagation ZONE");
    }
    if (!args.get(0).equals("propagation")) {
      throw new UsageException("unknown report '" + args.get(0) + "' (known: propagation)");
    }
    String zone = null;
    Long serial = null;
    Format format = Format.TABLE;
    URI api = DEFAULT_API;
    boolean watch = false;
    Path out = null;
    String whatIfName = null;
    String whatIfType = null;
    Long ttl = null;
    for (int i = 1; i < args.size(); i++) {
      String arg = args.get(i);
      String key = arg;
      String inline = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        key = arg.substring(0, eq);
        inline = arg.substring(eq + 1);
      }
      switch (key) {
        case "--watch" -> watch = true;
        case "--serial" -> serial = serial(value(args, i, inline, key));
        case "--format" -> format = format(value(args, i, inline, key));
        case "--api" -> api = api(value(args, i, inline, key));
        case "--out" -> out = Path.of(value(args, i, inline, key));
        case "--ttl" -> ttl = ttl(value(args, i, inline, key));
        case "--what-if" -> {
          if (inline != null || i + 2 >= args.size()) {
            throw new UsageException("--what-if needs a NAME and a TYPE, e.g. --what-if www A");
          }
          whatIfName = args.get(i + 1);
          whatIfType = args.get(i + 2);
          i++; // the second value; the first is skipped below
        }
        default -> {
          if (arg.startsWith("-")) {
            throw new UsageException("unknown option " + key + " for report propagation");
          }
          if (zone != null) {
            throw new UsageException("unexpected argument '" + arg + "' (one zone per report)");
          }
          zone = arg;
        }
      }
      if (inline == null && !key.equals("--watch") && key.startsWith("--")) {
        i++; // the option's value
      }
    }
    if (zone == null) {
      throw new UsageException("report propagation needs a ZONE");
    }
    if (out != null && format != Format.HTML) {
      throw new UsageException("--out is for --format html");
    }
    if (whatIfName != null && (format == Format.HTML || serial != null || watch)) {
      throw new UsageException("--what-if prints a table or json, for no --serial and without --watch");
    }
    if (ttl != null && whatIfName == null) {
      throw new UsageException("--ttl is for --what-if");
    }
    return new ReportOptions(zone, serial, format, api, watch, out, whatIfName, whatIfType, ttl);
  }

  private static String value(List<String> args, int i, String inline, String key) {
    if (inline != null) {
      return inline;
    }
    if (i + 1 >= args.size()) {
      throw new UsageException("option " + key + " needs a value");
    }
    return args.get(i + 1);
  }

  private static Long serial(String s) {
    try {
      long v = Long.parseLong(s);
      if (v < 0 || v > 0xFFFF_FFFFL) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UsageException("--serial must be a serial number 0..4294967295, not '" + s + "'");
    }
  }

  private static Long ttl(String s) {
    try {
      long v = Long.parseLong(s);
      if (v < 0 || v > 0x7FFF_FFFFL) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UsageException("--ttl must be a TTL in seconds 0..2147483647, not '" + s + "'");
    }
  }

  private static Format format(String s) {
    try {
      return Format.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--format must be table, json or html, not '" + s + "'");
    }
  }

  private static URI api(String s) {
    try {
      URI u = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        throw new IllegalArgumentException();
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw new UsageException("--api must be an http(s) URL such as " + DEFAULT_API + ", not '" + s + "'");
    }
  }
}
