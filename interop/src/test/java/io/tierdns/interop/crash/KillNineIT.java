package io.tierdns.interop.crash;

import static io.tierdns.interop.support.AdminApi.replace;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.interop.support.AdminApi;
import io.tierdns.interop.support.DumpPeerLogsOnFailure;
import io.tierdns.interop.support.TierdnsNode;
import io.tierdns.interop.support.ZoneContent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario {@code interop/crash/kill_nine}: the packaged node as a real process takes a stream of
 * admin API edits (each a new TXT RRset with a distinct value, from two writers, as fast as
 * they are acknowledged) and is killed with SIGKILL at a random moment in the stream; restarted
 * on the same zone and journal directories, it must hold every edit it acknowledged (HTTP 204)
 * before the kill, nothing that was never sent, and a serial at least the last acknowledged
 * one. Three rounds on the same data, each killed at a different moment. The random seed is
 * printed and can be set with {@code -Dtierdns.interop.seed=N}; {@code -Dtierdns.interop.writers=N}
 * sets the number of concurrent writers (default 2).
 */
@ExtendWith(DumpPeerLogsOnFailure.class)
class KillNineIT {

  private static final String ZONE = "example.test.";
  private static final int ROUNDS = 3;
  private static final int EDITS_PER_ROUND = 300;
  private static final int WRITERS = Integer.getInteger("tierdns.interop.writers", 2);
  private static final long ROUND_MILLIS = 30_000;

  private TierdnsNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  /** What the writers saw in one round. */
  private record Round(int round, Map<String, String> acknowledged, ConcurrentSkipListSet<String> sent, long lastSerial) {}

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void everyAcknowledgedEditSurvivesKillNine() throws Exception {
    long seed = Long.getLong("tierdns.interop.seed", System.nanoTime());
    Random random = new Random(seed);
    System.out.println("KillNineIT seed " + seed);
    Path zoneFile = Path.of(System.getProperty("tierdns.repo", "."), "examples", "zones", "example.test.zone");
    node = new TierdnsNode(Map.of(ZONE, zoneFile)).allowTransfer("127.0.0.1/32");
    node.start();

    Map<String, String> acknowledgedEver = new ConcurrentHashMap<>();
    ConcurrentSkipListSet<String> sentEver = new ConcurrentSkipListSet<>();
    long lastSerialEver = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      int killAfter = 10 + random.nextInt(200);
      int jitterMicros = random.nextInt(20_000);
      Round result = writeAndKill(round, killAfter, jitterMicros);
      acknowledgedEver.putAll(result.acknowledged());
      sentEver.addAll(result.sent());
      lastSerialEver = Math.max(lastSerialEver, result.lastSerial());

      long t0 = System.nanoTime();
      node.start();
      System.out.printf("round %d: killed after %d acknowledged edits (+%d us), %d sent, last acknowledged serial %d;"
          + " restarted in %d ms%n", round, result.acknowledged().size(), jitterMicros, result.sent().size(),
          result.lastSerial(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
      assertSurvived(round, acknowledgedEver, sentEver, lastSerialEver);
    }
  }

  private Round writeAndKill(int round, int killAfter, int jitterMicros) throws Exception {
    AdminApi api = node.api();
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    ConcurrentSkipListSet<String> sent = new ConcurrentSkipListSet<>();
    AtomicInteger next = new AtomicInteger();
    AtomicLong lastSerial = new AtomicLong();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ROUND_MILLIS);
    Thread[] writers = new Thread[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
      writers[w] = new Thread(() -> {
        int n;
        while ((n = next.getAndIncrement()) < EDITS_PER_ROUND && System.nanoTime() < deadline) {
          String owner = "r" + round + "-e" + n + "." + ZONE;
          String value = "\"round " + round + " edit " + n + "\"";
          sent.add(owner);
          try {
            AdminApi.Response response = api.patch(ZONE, replace(owner, "TXT", 60, value));
            if (response.status() != 204 || response.serial().isEmpty()) {
              return; // a dying node may answer 5xx: not acknowledged, stop writing
            }
            acknowledged.put(owner, value);
            lastSerial.accumulateAndGet(response.serial().getAsLong(), Math::max);
          } catch (IOException killed) {
            return;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }, "kill-nine-writer-" + w);
      writers[w].start();
    }
    while (acknowledged.size() < killAfter && System.nanoTime() < deadline && anyAlive(writers)) {
      Thread.onSpinWait();
    }
    TimeUnit.MICROSECONDS.sleep(jitterMicros);
    // the snapshot of what was acknowledged is taken after the kill: a 204 read before the
    // process died is an acknowledgement whatever came after
    node.killForcibly();
    for (Thread writer : writers) {
      writer.join(15_000);
      assertThat(writer.isAlive()).as("writer still running 15 s after the kill").isFalse();
    }
    assertThat(sent.size()).as("round %d: the kill came before the stream ended", round).isLessThan(EDITS_PER_ROUND);
    return new Round(round, Map.copyOf(acknowledged), sent, lastSerial.get());
  }

  private void assertSurvived(int round, Map<String, String> acknowledged, ConcurrentSkipListSet<String> sent,
      long lastSerial) throws Exception {
    ZoneContent zone = ZoneContent.axfr("tierdns after round " + round, node.port(), ZONE, null);
    Map<String, String> txt = zone.txtByOwner();
    for (Map.Entry<String, String> edit : acknowledged.entrySet()) {
      assertThat(txt.get(edit.getKey())).as("round %d: acknowledged edit %s after kill -9 and restart", round, edit.getKey())
          .isEqualTo(edit.getValue());
    }
    for (String owner : txt.keySet()) {
      if (owner.matches("r\\d+-e\\d+\\." + ZONE.replace(".", "\\."))) {
        assertThat(sent).as("round %d: %s is in the zone but was never sent", round, owner).contains(owner);
      }
    }
    assertThat(zone.serial()).as("round %d: SOA serial after restart vs last acknowledged serial", round)
        .isGreaterThanOrEqualTo(lastSerial);
    assertThat(node.api().serial(ZONE)).as("round %d: API serial after restart", round).isEqualTo(zone.serial());
  }

  private static boolean anyAlive(Thread[] threads) {
    for (Thread t : threads) {
      if (t.isAlive()) {
        return true;
      }
    }
    return false;
  }
}
