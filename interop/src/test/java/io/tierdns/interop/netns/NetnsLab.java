package io.tierdns.interop.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private IPv4 network of Linux network namespaces for fault tests: one namespace per node,
 * each with one veth {@code eth0} (address {@code 10.213.N.K/24}, no default route), all
 * plugged into a bridge that lives in a namespace of its own, plus one veth from the test's own
 * namespace ({@code tdnPIDh}, address {@code .254}) so that the test JVM can query and edit the
 * nodes directly. Nothing is routed anywhere else.
 *
 * <p>Faults are made where the kernel of the CI box can make them (it has no netem and no nft
 * {@code queue} expression):
 * <ul>
 *   <li>loss and partitions with nftables drops in a {@code bridge} table on the bridge, on
 *       the node's bridge port ({@link #loss}, {@link #partition});</li>
 *   <li>delay with {@code nfq_delay} (interop/src/test/c): the xtables {@code NFQUEUE} target in
 *       the node's namespace hands every packet of its {@code eth0} to that program, which
 *       accepts it after a fixed time ({@link #delay}).</li>
 * </ul>
 * Every fault spares the packets to and from the test's own address, so the test can keep
 * watching a node while it is cut off from its peers.
 *
 * <p>Names carry the test JVM's pid ({@code tdn<pid>-<node>}), so two runs never collide and
 * {@link #removeLeftovers()} can remove what a killed earlier run left behind (a pid no longer
 * alive). {@link #close()} kills the delayers and deletes every namespace; the veths and nft
 * tables go with them.
 */
final class NetnsLab implements AutoCloseable {

  private static final Pattern OURS = Pattern.compile("^tdn(\\d+)-\\S+");
  private static final Pattern OUR_LINK = Pattern.compile("^\\d+: (tdn(\\d+)h)[@:]");

  private final String prefix = "tdn" + ProcessHandle.current().pid();
  private final String subnet;
  private final Map<String, Integer> hosts = new LinkedHashMap<>();
  private final Map<String, Process> delayers = new LinkedHashMap<>();
  private final Map<String, Path> delayerLogs = new LinkedHashMap<>();
  private final List<String> namespaces = new ArrayList<>();

  private NetnsLab(String subnet) {
    this.subnet = subnet;
  }

  /** Null when this machine can run the lab, else why not (not root, no ip or nft). */
  static String unsupportedReason() {
    if (!"0".equals(Sh.attempt("id", "-u").output())) {
      return "network-namespace tests need root (ip netns, nft); skipped";
    }
    for (String tool : List.of("ip", "nft")) {
      if (!Sh.available(tool)) {
        return "network-namespace tests need `" + tool + "` (iproute2, nftables; .ci/install-deps); skipped";
      }
    }
    return null;
  }

  /** Deletes namespaces and host links named by an earlier run whose JVM is gone. */
  static void removeLeftovers() {
    for (String line : Sh.run("ip", "netns", "list").split("\n")) {
      Matcher m = OURS.matcher(line.trim());
      if (m.find() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
        String ns = line.trim().split("\\s+")[0];
        killProcessesIn(ns);
        Sh.attempt("ip", "netns", "delete", ns);
      }
    }
    for (String line : Sh.run("ip", "-o", "link", "show").split("\n")) {
      Matcher m = OUR_LINK.matcher(line.trim());
      if (m.find() && ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty()) {
        Sh.attempt("ip", "link", "delete", m.group(1));
      }
    }
  }

  /** Builds the bridge, the host link and one namespace per node (named as given, in order). */
  static NetnsLab create(String... nodes) {
    String routes = Sh.run("ip", "-4", "-o", "addr", "show") + Sh.run("ip", "-4", "route", "show");
    String subnet = null;
    for (int attempt = 0; attempt < 50 && subnet == null; attempt++) {
      String candidate = "10.213." + (1 + ThreadLocalRandom.current().nextInt(250));
      if (!routes.contains(candidate + ".")) {
        subnet = candidate;
      }
    }
    if (subnet == null) {
      throw new IllegalStateException("no free 10.213.N.0/24 for the lab: " + routes);
    }
    NetnsLab lab = new NetnsLab(subnet);
    // a JVM ended by a signal (failsafe's fork timeout) still removes its namespaces
    Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "netns-lab-cleanup"));
    try {
      lab.build(nodes);
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
    return lab;
  }

  private void build(String... nodes) {
    String bridgeNs = namespace("bridge");
    addNamespace(bridgeNs);
    Sh.run("ip", "-n", bridgeNs, "link", "add", "br0", "type", "bridge");
    Sh.run("ip", "-n", bridgeNs, "link", "set", "br0", "up");
    // the host end is created in the test's namespace, the other end straight in the bridge's
    String hostLink = prefix + "h";
    Sh.run("ip", "link", "add", hostLink, "type", "veth", "peer", "name", "host", "netns", bridgeNs);
    Sh.run("ip", "-n", bridgeNs, "link", "set", "host", "master", "br0", "up");
    Sh.run("ip", "addr", "add", hostAddress() + "/24", "dev", hostLink);
    Sh.run("ip", "link", "set", hostLink, "up");
    int k = 1;
    for (String node : nodes) {
      hosts.put(node, k++);
      String ns = namespace(node);
      addNamespace(ns);
      Sh.run("ip", "link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", node, "netns", bridgeNs);
      Sh.run("ip", "-n", bridgeNs, "link", "set", node, "master", "br0", "up");
      Sh.run("ip", "-n", ns, "addr", "add", address(node) + "/24", "dev", "eth0");
      Sh.run("ip", "-n", ns, "link", "set", "eth0", "up");
      Sh.run("ip", "-n", ns, "link", "set", "lo", "up");
    }
    Sh.run("ip", "netns", "exec", bridgeNs, "nft", "add table bridge faults; "
        + "add chain bridge faults forward { type filter hook forward priority 0; policy accept; }");
  }

  private void addNamespace(String ns) {
    Sh.run("ip", "netns", "add", ns);
    namespaces.add(ns);
  }

  /** The namespace of {@code node} ({@code bridge} for the bridge's). */
  String namespace(String node) {
    return prefix + "-" + node;
  }

  /** The IPv4 address of {@code node}. */
  String address(String node) {
    Integer k = hosts.get(node);
    if (k == null) {
      throw new IllegalArgumentException("no node " + node + " in " + hosts.keySet());
    }
    return subnet + "." + k;
  }

  /** The test's own address on the lab network. */
  String hostAddress() {
    return subnet + ".254";
  }

  /** The lab network as a CIDR. */
  String cidr() {
    return subnet + ".0/24";
  }

  /**
   * Drops {@code percent} % of the IPv4 packets {@code node} sends and, independently, of those
   * it receives (so a request and its answer both get through with probability (1 - p)²), on
   * its bridge port; ARP and the test's own packets pass.
   */
  void loss(String node, int percent) {
    nft("add rule bridge faults forward iifname \"" + node + "\" ip daddr != " + hostAddress()
        + " numgen random mod 100 < " + percent + " counter drop; "
        + "add rule bridge faults forward oifname \"" + node + "\" ip saddr != " + hostAddress()
        + " numgen random mod 100 < " + percent + " counter drop");
  }

  /** Drops every IPv4 packet between {@code node} and the other nodes (the test's own pass). */
  void partition(String node) {
    nft("add rule bridge faults forward iifname \"" + node + "\" ip daddr != " + hostAddress() + " counter drop; "
        + "add rule bridge faults forward oifname \"" + node + "\" ip saddr != " + hostAddress() + " counter drop");
  }

  /** The bridge's fault rules with their counters (for the report). */
  String faultRules() {
    return Sh.run("ip", "netns", "exec", namespace("bridge"), "nft", "list chain bridge faults forward");
  }

  /** Removes every loss and partition rule. */
  void heal() {
    nft("flush chain bridge faults forward");
  }

  private void nft(String script) {
    Sh.run("ip", "netns", "exec", namespace("bridge"), "nft", script);
  }

  /**
   * Delays every packet {@code node} sends or receives on {@code eth0} (not the test's own) by
   * {@code millis}, each way: starts {@code delayer} in the node's namespace, waits for its
   * "ready", then adds the NFQUEUE rules. {@link #undelay} removes them.
   */
  void delay(String node, int millis, Path delayer) throws IOException {
    String ns = namespace(node);
    Path log = Files.createTempFile("nfq_delay-" + node + "-", ".log");
    delayerLogs.put(node, log);
    Process process = new ProcessBuilder("ip", "netns", "exec", ns, delayer.toString(), "0", Integer.toString(millis))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    delayers.put(node, process);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.readString(log).startsWith("ready")) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("nfq_delay in " + ns + " did not start: " + Files.readString(log));
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    Sh.run("ip", "netns", "exec", ns, "iptables", "-A", "OUTPUT", "-o", "eth0", "!", "-d", hostAddress(),
        "-j", "NFQUEUE", "--queue-num", "0");
    Sh.run("ip", "netns", "exec", ns, "iptables", "-A", "INPUT", "-i", "eth0", "!", "-s", hostAddress(),
        "-j", "NFQUEUE", "--queue-num", "0");
  }

  /** Removes {@code node}'s delay: the rules first, then the delayer (which accepts what it holds). */
  String undelay(String node) {
    String ns = namespace(node);
    Sh.run("ip", "netns", "exec", ns, "iptables", "-F", "OUTPUT");
    Sh.run("ip", "netns", "exec", ns, "iptables", "-F", "INPUT");
    Process process = delayers.remove(node);
    if (process == null) {
      return "";
    }
    process.destroy();
    Path log = delayerLogs.remove(node);
    try {
      process.waitFor(5, TimeUnit.SECONDS);
      String out = Files.readString(log).trim();
      Files.deleteIfExists(log);
      return out;
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } finally {
      process.destroyForcibly();
    }
  }

  /** Compiles the delayer into {@code target} (gcc and libnetfilter-queue-dev). */
  static Path buildDelayer(Path repo, Path target) throws IOException {
    Path source = repo.resolve("interop/src/test/c/nfq_delay.c");
    Files.createDirectories(target);
    Path binary = target.resolve("nfq_delay");
    Sh.run("gcc", "-O2", "-Wall", "-o", binary.toString(), source.toString(), "-lnetfilter_queue");
    return binary;
  }

  @Override
  public synchronized void close() {
    for (Process delayer : delayers.values()) {
      delayer.destroyForcibly();
    }
    delayers.clear();
    for (Path log : delayerLogs.values()) {
      log.toFile().delete();
    }
    delayerLogs.clear();
    for (String ns : namespaces) {
      killProcessesIn(ns);
    }
    for (String ns : namespaces) {
      Sh.attempt("ip", "netns", "delete", ns);
    }
    namespaces.clear();
    Sh.attempt("ip", "link", "delete", prefix + "h");
  }

  private static void killProcessesIn(String ns) {
    String pids = Sh.attempt("ip", "netns", "pids", ns).output();
    for (String pid : pids.split("\\s+")) {
      if (pid.matches("\\d+")) {
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }
}
