package io.tierdns.node;

import io.tierdns.node.report.ReportOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line, parsed into configuration properties. Pure: no I/O beyond what the caller
 * does with the result, so every form is unit-tested.
 *
 * <pre>
 * tierdns run --config FILE.yml
 * tierdns run --authoritative DIR --listen ADDR:PORT [--listen ADDR:PORT ...]
 * tierdns up [--data DIR] [--topology FILE]
 * tierdns report propagation ZONE [--serial N] [--format table|json|html] [--api URL] [--watch] [--out FILE]
 * </pre>
 *
 * @param command {@code run}, {@code up} or {@code report}
 * @param configFile the YAML file of {@code run --config} or {@code up --topology}, or null
 * @param dataDir the data directory of {@code up}
 * @param properties configuration properties the arguments set; for {@code report}, the parsed
 *     {@link ReportOptions} under {@link #REPORT}
 */
public record CliArguments(
    String command, Path configFile, Path dataDir, Map<String, Object> properties) {

  /** Thrown for a command line that cannot be run; the message says why. */
  public static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  /** The key of {@code report}'s options in {@link #properties}. */
  public static final String REPORT = "report";

  public static final String USAGE =
      """
      usage: tierdns run --config FILE.yml
             tierdns run --authoritative DIR --listen ADDR:PORT [--listen ADDR:PORT ...]
             tierdns up [--data DIR] [--topology FILE]
             tierdns report propagation ZONE [--serial N] [--format table|json|html]
                    [--api http://127.0.0.1:8053] [--watch] [--out FILE.html]
             tierdns report propagation ZONE --what-if NAME TYPE [--ttl X] [--format table|json]
             tierdns zones [--api URL] [--format table|json]
             tierdns zone show ZONE [--api URL] [--format text|json]
             tierdns record set ZONE NAME TYPE CONTENT... [--ttl SECONDS] [--api URL]
             tierdns record delete ZONE NAME TYPE [--api URL]
             tierdns cache flush [NAME [--below]] [--node NODE] [--api URL]
             tierdns help | version
      """;

  /** Parses {@code args}; throws {@link UsageException} with a clear message on bad input. */
  public static CliArguments parse(String... args) {
    if (args.length == 0) {
      throw new UsageException("no command given");
    }
    String command = args[0];
    if (command.equals("report")) {
      // its own grammar (a subject, a zone, a flag); it starts no node
      ReportOptions report = ReportOptions.parse(List.of(args).subList(1, args.length));
      return new CliArguments(command, null, null, Map.of(REPORT, report));
    }
    Map<String, String> options = new LinkedHashMap<>();
    List<String> listen = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      String value;
      String key;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        key = arg.substring(2, eq);
        value = arg.substring(eq + 1);
      } else if (arg.startsWith("--")) {
        key = arg.substring(2);
        if (i + 1 >= args.length) {
          throw new UsageException("option --" + key + " needs a value");
        }
        value = args[++i];
      } else {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      if (key.equals("listen")) {
        listen.add(value);
      } else if (options.putIfAbsent(key, value) != null) {
        throw new UsageException("option --" + key + " given twice");
      }
    }
    return switch (command) {
      case "run" -> run(options, listen);
      case "up" -> up(options, listen);
      default -> throw new UsageException("unknown command '" + command + "'");
    };
  }

  private static CliArguments run(Map<String, String> options, List<String> listen) {
    Map<String, Object> props = new LinkedHashMap<>();
    String config = options.remove("config");
    String authoritative = options.remove("authoritative");
    rejectUnknown(options, "run");
    if (config == null && authoritative == null) {
      throw new UsageException("run needs --config FILE.yml or --authoritative DIR --listen ADDR:PORT");
    }
    if (config != null && authoritative != null) {
      throw new UsageException("give either --config or --authoritative, not both");
    }
    if (authoritative != null) {
      if (listen.isEmpty()) {
        throw new UsageException("--authoritative DIR needs --listen ADDR:PORT");
      }
      props.put("tierdns.authoritative.zone-directory", authoritative);
    }
    if (!listen.isEmpty()) {
      listen.forEach(ListenAddress::parse); // fail early with the offending value
      props.put("tierdns.listen", List.copyOf(listen));
    }
    return new CliArguments("run", config == null ? null : Path.of(config), null, props);
  }

  private static CliArguments up(Map<String, String> options, List<String> listen) {
    String data = options.getOrDefault("data", ".tierdns");
    options.remove("data");
    String topology = options.remove("topology");
    rejectUnknown(options, "up");
    if (!listen.isEmpty()) {
      throw new UsageException("up listens on the fixed ports of the default hierarchy; use run --listen");
    }
    return new CliArguments("up", topology == null ? null : Path.of(topology), Path.of(data), new LinkedHashMap<>());
  }

  private static void rejectUnknown(Map<String, String> options, String command) {
    if (!options.isEmpty()) {
      throw new UsageException(
          "unknown option --" + options.keySet().iterator().next() + " for " + command);
    }
  }
}
