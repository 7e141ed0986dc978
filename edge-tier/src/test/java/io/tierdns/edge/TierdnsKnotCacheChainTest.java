package io.tierdns.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tierdns.authoritative.edit.CommitResult;
import io.tierdns.authoritative.testing.LoopbackPeers;
import io.tierdns.wire.client.DnsClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;

/**
 * A mixed chain: tierdns primary → Knot DNS secondary (which NOTIFYs our cache) → tierdns
 * change-aware cache pulling IXFR from Knot. Skipped when knotd is not installed (unless CI=true).
 */
class TierdnsKnotCacheChainTest {

  static final Path KNOTD = Path.of("/usr/sbin/knotd");

  @TempDir Path dir;
  final List<AutoCloseable> open = new ArrayList<>();
  final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
  final ExecutorService blocking = Executors.newCachedThreadPool();
  final DnsClient client = new DnsClient();
  Process knotd;

  @AfterEach
  void stop() throws Exception {
    if (knotd != null) {
      knotd.destroy();
      if (!knotd.waitFor(10, TimeUnit.SECONDS)) {
        knotd.destroyForcibly();
      }
    }
    Collections.reverse(open);
    for (AutoCloseable c : open) {
      c.close();
    }
    timers.shutdownNow();
    blocking.shutdownNow();
    client.close();
  }

  @Test
  void ourCacheFollowsAKnotSecondaryByNotifyAndIxfr() throws Exception {
    if (!"true".equals(System.getenv("CI"))) {
      assumeTrue(Files.isExecutable(KNOTD), "knotd is not installed");
    }
    CacheNode cache = new CacheNode();
    open.add(cache);
    int knotPort = LoopbackPeers.freePort();
    InetSocketAddress knot = new InetSocketAddress("127.0.0.1", knotPort);
    Primary primary = new Primary(dir.resolve("primary"), TierdnsCacheCacheChainTest.ZONE,
        TierdnsCacheCacheChainTest.ZONE_TEXT, List.of(knot), client, timers);
    open.add(primary);
    Path log = dir.resolve("knotd.log");
    knotd = new ProcessBuilder(KNOTD.toString(), "-c", knotConf(primary.address().getPort(), knotPort, cache.address().getPort()).toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    cache.wire("cache", TierdnsCacheCacheChainTest.ZONE, knot, List.of(), client, timers, blocking, EdgeMetrics.NOOP);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!"10.0.0.0".equals(tryA(cache.address()))) {
      assertThat(System.nanoTime()).as("knot serves the zone; log:\n%s", Files.readString(log)).isLessThan(deadline);
      Thread.sleep(100); // waiting on another process
    }
    assertThat(cache.subscription.start().toCompletableFuture().get(5, TimeUnit.SECONDS).toSerial()).isEqualTo(1);
    cache.resolver.flushAll();
    assertThat(tryA(cache.address())).isEqualTo("10.0.0.0"); // warm, TTL 300

    for (int i = 1; i <= 3; i++) {
      String ip = "10.1.0." + i;
      long t0 = System.nanoTime();
      CommitResult c = primary.replace(TierdnsCacheCacheChainTest.ZONE, TierdnsCacheCacheChainTest.W,
          org.xbill.DNS.Type.A,
          new ARecord(TierdnsCacheCacheChainTest.W, DClass.IN, 300, InetAddress.getByName(ip)));
      long until = t0 + TimeUnit.SECONDS.toNanos(10);
      while (!ip.equals(tryA(cache.address()))) {
        assertThat(System.nanoTime()).as("change %d visible at the cache; knot log:\n%s", i, Files.readString(log))
            .isLessThan(until);
        Thread.sleep(1);
      }
      System.out.printf("primary->knotd->cache change %d (serial %d) visible in %.1f ms%n",
          i, c.serial(), (System.nanoTime() - t0) / 1e6);
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (cache.subscription.serial().getAsLong() != 4) {
      assertThat(System.nanoTime()).as("cache follows knot to serial 4; log:\n%s", Files.readString(log)).isLessThan(until);
      Thread.sleep(10);
    }
    System.out.println(Files.readString(log));
    assertThat(cache.subscription.lastOutcome().orElseThrow().result()).isEqualTo(RefreshOutcome.INCREMENTAL);
  }

  String tryA(InetSocketAddress server) {
    try {
      return TierdnsCacheCacheChainTest.a(client, server, TierdnsCacheCacheChainTest.W);
    } catch (RuntimeException e) {
      return "?";
    }
  }

  private Path knotConf(int primaryPort, int knotPort, int cachePort) throws IOException {
    String d = dir.toAbsolutePath().toString();
    String conf = String.join("\n",
        "server:",
        "    rundir: \"" + d + "\"",
        "    listen: 127.0.0.1@" + knotPort,
        "control:",
        "    listen: \"" + d + "/knot.sock\"",
        "log:",
        "  - target: stderr",
        "    any: info",
        "remote:",
        "  - id: tierdns",
        "    address: 127.0.0.1@" + primaryPort,
        "  - id: cache",
        "    address: 127.0.0.1@" + cachePort,
        "acl:",
        "  - id: notify-from-tierdns",
        "    address: 127.0.0.1",
        "    action: notify",
        "  - id: local-transfer",
        "    address: 127.0.0.1",
        "    action: transfer",
        "database:",
        "    storage: \"" + d + "\"",
        "template:",
        "  - id: default",
        "    storage: \"" + d + "\"",
        "    zonefile-sync: -1",
        "    zonefile-load: none",
        "    journal-content: changes",
        "zone:",
        "  - domain: " + TierdnsCacheCacheChainTest.ZONE,
        "    master: tierdns",
        "    notify: cache",
        "    acl: [notify-from-tierdns, local-transfer]",
        "");
    return Files.writeString(dir.resolve("knot.conf"), conf);
  }
}
