package io.tierdns.interop.secondary;

import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.interop.support.Await;
import io.tierdns.interop.support.AxfrDump;
import io.tierdns.interop.support.BigZoneWriter;
import io.tierdns.interop.support.DumpPeerLogsOnFailure;
import io.tierdns.interop.support.KnotPrimary;
import io.tierdns.interop.support.Notify;
import io.tierdns.interop.support.ServingWatch;
import io.tierdns.interop.support.TierdnsSecondary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code interop/secondary/million}: Knot DNS serves a 1,000,000-record zone and the packaged
 * tierdns secondary, started with {@value #HEAP} (and the same {@code -Xms}) and G1's GC log on, takes it by AXFR (Knot has
 * no journal, so the IXFR asked for is answered with the whole zone) while the small first
 * version it held keeps answering. Prints the transfer time, the secondary's own "applied" line
 * and the peak heap from the GC log (the largest heap occupancy before a collection, and the
 * largest after one), which {@code docs/secondary.md} ("Measured") records.
 */
@ExtendWith(DumpPeerLogsOnFailure.class)
class MillionRecordAxfrIT {

  static final String HEAP = "-Xmx1500m";
  private static final String ZONE = "million.test.";
  private static final int RECORDS = 1_000_000;
  private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void millionRecordAxfrFitsTheHeapBoundWhileTheOldVersionServes() throws Exception {
    Path work = Files.createTempDirectory("tierdns-interop-million-");
    try (KnotPrimary knot = new KnotPrimary(ZONE, BigZoneWriter.write(work.resolve("v1.zone"), ZONE, 1, 300, "v1"), null);
        TierdnsSecondary secondary = new TierdnsSecondary(ZONE).primary(knot.port(), null)) {
      knot.start();
      Path gcLog = secondary.dir().resolve("gc.log");
      // the heap sized up front (-Xms = -Xmx), as a server should run: growing it from the
      // default initial size during the transfer took young pauses of up to ~1 s on 2 cores,
      // long enough for Knot to drop the AXFR and for a query to the old version to time out
      secondary.jvm(HEAP, HEAP.replace("-Xmx", "-Xms"), "-Xlog:gc:file=" + gcLog + ":uptime");
      secondary.start();
      Await.serial(secondary, ZONE, 1, Duration.ofSeconds(15));

      long t = System.nanoTime();
      Path big = BigZoneWriter.write(work.resolve("v2.zone"), ZONE, 2, RECORDS, "v2");
      System.out.printf("wrote %,d records (%,d bytes) in %d ms%n", RECORDS, Files.size(big), ms(t));
      knot.replaceZoneFile(big);
      t = System.nanoTime();
      knot.reload();
      Await.serial(knot, ZONE, 2, Duration.ofSeconds(60));
      System.out.printf("knot serves serial 2 %d ms after zone-reload%n", ms(t));

      int logMark = secondary.fullLog().length();
      long transfer;
      try (ServingWatch watch = ServingWatch.start(secondary.port(), ZONE)) {
        t = System.nanoTime();
        assertThat(Notify.send(secondary.port(), ZONE, 2)).isEqualTo("NOERROR");
        Await.serial(secondary, ZONE, 2, Duration.ofSeconds(120));
        transfer = ms(t);
        watch.close();
        System.out.println("serving watch: " + watch);
        assertThat(watch.problems()).as("non-answers during the transfer: %s", watch).isEmpty();
        assertThat(List.of("serial 1, probe v1", "serial 2, probe v2")).containsAll(watch.seen().keySet());
        assertThat(watch.seen()).as("the old version answered during the transfer").containsKey("serial 1, probe v1");
      }
      String log = secondary.fullLog().substring(logMark);
      String applied = log.lines().filter(l -> l.contains("applied: serial 1 -> 2")).findFirst().orElse("(no applied line)");
      long progressLines = log.lines().filter(l -> l.contains("records so far")).count();
      log.lines().filter(l -> l.contains("records so far") || l.contains("NOTIFY from") || l.contains("failed"))
          .forEach(System.out::println);
      int[] heap = peakHeap(gcLog);
      System.out.printf("MEASURED: %,d records, NOTIFY -> serial 2 answered in %d ms; secondary: %s%n", RECORDS, transfer, applied.trim());
      System.out.printf("MEASURED: heap bound %s, peak heap before GC %d MB, peak after GC %d MB, committed max %d MB, %d GC lines%n",
          HEAP, heap[0], heap[1], heap[2], heap[3]);
      System.out.println("MEASURED: command " + secondary.fullLog().lines().filter(l -> l.startsWith("$ ")).findFirst().orElse(""));
      assertThat(progressLines).as("progress logged while the AXFR ran").isGreaterThanOrEqualTo(9);
      assertThat(applied).contains("AXFR");

      t = System.nanoTime();
      AxfrDump theirs = AxfrDump.of("knot", knot.port(), ZONE, null, work.resolve("knot.axfr"), 60);
      AxfrDump ours = AxfrDump.of("tierdns-secondary", secondary.port(), ZONE, null, work.resolve("tierdns.axfr"), 60);
      System.out.printf("both AXFRs dumped and compared in %d ms%n", ms(t));
      assertThat(ours.serial()).isEqualTo(2);
      assertThat(ours.records()).hasSize(RECORDS);
      assertThat(ours.differencesFrom(theirs)).as("zone diff secondary vs knot").isEmpty();
    } finally {
      SecondaryFaultsIT.deleteTree(work);
    }
  }

  /** {max before GC, max after GC, max committed, lines} in MB from a {@code -Xlog:gc} file. */
  private static int[] peakHeap(Path gcLog) throws IOException {
    int[] peak = new int[4];
    for (String line : Files.readAllLines(gcLog)) {
      Matcher m = GC_LINE.matcher(line);
      if (m.find()) {
        peak[0] = Math.max(peak[0], Integer.parseInt(m.group(1)));
        peak[1] = Math.max(peak[1], Integer.parseInt(m.group(2)));
        peak[2] = Math.max(peak[2], Integer.parseInt(m.group(3)));
        peak[3]++;
      }
    }
    return peak;
  }

  private static long ms(long since) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
  }
}
