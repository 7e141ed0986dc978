package io.tierdns.node;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tierdns.node.cli.AdminCommand;
import io.tierdns.node.report.PropagationReportCommand;
import io.tierdns.node.report.ReportOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code tierdns} command: starts a node ({@code run}) or the default hierarchy ({@code up}),
 * or asks a running one for a report ({@code report}).
 */
public final class Cli {

  private static final Logger LOG = LoggerFactory.getLogger(Cli.class);

  private Cli() {}

  public static void main(String[] args) throws InterruptedException {
    withoutNettyLeakSampling();
    withCachedUdpReadBuffers();
    int code = run(args, System.out, System.err);
    if (code != STARTED) {
      System.exit(code);
    }
    // The node runs until the JVM is told to stop; the shutdown hook closes it cleanly.
    new CountDownLatch(1).await();
  }

  /**
   * Netty samples buffers for its leak reports by default and builds a stack trace for each
   * sampled buffer and for every buffer sliced from it: 3–4 % of the CPU of a busy UDP listener
   * in a profile (docs/benchmarks.md). The server turns the sampling off unless the operator
   * asks for a level ({@code -Dio.netty.leakDetection.level=simple}); the test suites keep
   * Netty's default.
   */
  static void withoutNettyLeakSampling() {
    if (System.getProperty("io.netty.leakDetection.level") == null
        && System.getProperty("io.netty.leakDetectionLevel") == null) {
      io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
    }
  }

  /**
   * Each UDP read takes one 64 KiB buffer from Netty's pool (16 slots of 4 KiB for recvmmsg) and
   * gives it back when the batch is handled. Netty's per-thread cache keeps buffers up to 32 KiB
   * by default, so every read locked the shared arena twice; the server raises the cache's limit
   * to 64 KiB unless the operator set {@code -Dio.netty.allocator.maxCachedBufferCapacity}. Set
   * before Netty's allocator is first loaded.
   */
  static void withCachedUdpReadBuffers() {
    if (System.getProperty("io.netty.allocator.maxCachedBufferCapacity") == null) {
      System.setProperty("io.netty.allocator.maxCachedBufferCapacity", "65536");
    }
  }

  /** What {@link #run} returns when a node was started and keeps running. */
  static final int STARTED = -1;

  /** Runs a command; returns its exit code, or {@link #STARTED} when a node now runs. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 1 && (args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h"))) {
      out.print(CliArguments.USAGE);
      return 0;
    }
    if (args.length == 1 && (args[0].equals("version") || args[0].equals("--version"))) {
      out.println("tierdns " + version());
      return 0;
    }
    if (args.length > 0 && AdminCommand.COMMANDS.contains(args[0])) {
      return AdminCommand.run(List.of(args), System.getenv(), out, err);
    }
    CliArguments cli;
    try {
      cli = CliArguments.parse(args);
    } catch (CliArguments.UsageException | IllegalArgumentException e) {
      err.println("tierdns: " + e.getMessage());
      err.print(CliArguments.USAGE);
      return 2;
    }
    if (cli.command().equals("report")) {
      return PropagationReportCommand.run(
          (ReportOptions) cli.properties().get(CliArguments.REPORT), System.getenv(), out, err);
    }
    Map<String, Object> props = cli.properties();
    try {
      if (cli.configFile() != null && cli.command().equals("run")) {
        if (!Files.isRegularFile(cli.configFile())) {
          err.println("tierdns: config file not found: " + cli.configFile());
          return 2;
        }
        System.setProperty("micronaut.config.files", cli.configFile().toAbsolutePath().toString());
      }
      List<ApplicationContext> nodes = new ArrayList<>();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(nodes), "tierdns-shutdown"));
      if (cli.command().equals("up")) {
        Map<String, Map<String, Object>> topology;
        if (cli.configFile() != null) {
          if (!Files.isRegularFile(cli.configFile())) {
            err.println("tierdns: topology file not found: " + cli.configFile());
            return 2;
          }
          topology = Topology.load(cli.configFile(), cli.dataDir());
        } else {
          topology = UpLayout.nodes(home(), cli.dataDir(), System.getenv("TIERDNS_API_KEY"), out);
        }
        for (Map<String, Object> node : topology.values()) {
          nodes.add(start(node));
        }
        if (cli.configFile() == null) {
          // the default hierarchy takes the zones the primary gains or loses, as a restart would
          UpZones.follow(nodes);
        }
      } else {
        nodes.add(start(props));
      }
      return STARTED;
    } catch (RuntimeException e) {
      err.println("tierdns: error: " + rootMessage(e));
      LOG.debug("start failed", e);
      return 1;
    }
  }

  /** Starts the application context and the node in it; the caller owns the returned context. */
  public static ApplicationContext start(Map<String, Object> props) {
    ApplicationContext context =
        ApplicationContext.builder().properties(props).deduceEnvironment(false).banner(false).start();
    try {
      List<String> unknown = ConfigurationCheck.unknownKeys(context.getEnvironment());
      if (!unknown.isEmpty()) {
        throw new IllegalStateException(String.join("; ", unknown));
      }
      context.getBean(NodeRuntime.class).start();
      NodeConfiguration.Admin admin = context.getBean(NodeConfiguration.Admin.class);
      if (admin.isEnabled()) {
        AdminSecurity.checkBindable(admin);
        EmbeddedServer http = context.getBean(EmbeddedServer.class);
        http.start();
        LOG.info("admin API on {}", http.getURL());
      }
      AuthoritativeRole authoritative = context.getBean(AuthoritativeRole.class);
      if (authoritative.configured()) {
        ReloadSignal.install(authoritative);
      }
      return context;
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
  }

  private static void closeAll(List<ApplicationContext> nodes) {
    // Downstream nodes first, the primary (with its journals) last.
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }

  private static Path home() {
    String home = System.getenv("TIERDNS_HOME");
    return Path.of(home == null || home.isBlank() ? "." : home);
  }

  private static String version() {
    String v = Cli.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && (t instanceof BeanInstantiationException || t.getMessage() == null)) {
      t = t.getCause();
    }
    String message = t.getMessage();
    return message == null ? t.getClass().getSimpleName() : message;
  }
}
