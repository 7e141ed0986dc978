package io.tierdns.authoritative.bench;

import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.authoritative.ZoneFiles;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.acl.TransferAcl;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.edit.ZoneChange;
import io.tierdns.authoritative.edit.ZoneChanges;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.journal.FlushMark;
import io.tierdns.authoritative.journal.Journal;
import io.tierdns.authoritative.journal.JournalConfig;
import io.tierdns.authoritative.store.ZoneStoreConfig;
import io.tierdns.authoritative.store.ZoneStores;
import io.tierdns.wire.MessageProcessor;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.Transport;
import io.tierdns.wire.WireObserver;
import io.tierdns.wire.WireOptions;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A timing harness for issue 8 (a big zone), not a test: nothing here is asserted. Run with the
 * test classpath, one JVM per measurement:
 *
 * <pre>
 * java -Xmx2g -cp target/test-classes:target/classes:$(cat cp.txt) \
 *     io.tierdns.authoritative.bench.BigZoneBench load|parse|zonefile|edit|axfr|journal ZONEFILE [runs]
 * java ... BigZoneBench dump ZONEFILE RECORDS.bin
 * java ... BigZoneBench build SMALL.bin BIG.bin
 * </pre>
 *
 * <ul>
 *   <li>{@code load}: {@link ZoneStores#open} on a fresh copy of the file (no journal yet): what
 *       the authoritative role does at start-up until the zone serves;
 *   <li>{@code parse}: dnsjava's {@link Master} alone, then {@link ZoneSnapshot#of} alone;
 *   <li>{@code zonefile}: {@link ZoneFiles#load} alone, with the JIT's and the collector's time
 *       in it: what the node's load spends on the zone file itself;
 *   <li>{@code dump}: the zone's records in canonical order, as an AXFR carries them, to a file of
 *       wire records; {@code build}: those records read from the wire (new objects, as a
 *       transfer makes), a small zone built first (the secondary's first version), then {@link
 *       ZoneSnapshot#of} of the big one timed, with the JIT's and the collector's time in it:
 *       the build phase of a secondary, without the network;
 *   <li>{@code edit}: the zone loaded once, then {@code runs} times one change of one A record
 *       with the SOA's serial, applied as a secondary applies an IXFR ({@link Diffs#applyAll}) and
 *       as the admin API applies an edit ({@link ZoneChanges#apply}), each timed;
 *   <li>{@code axfr}: the zone loaded once, then {@code runs} AXFR answers rendered to bytes by
 *       the wire layer ({@link MessageProcessor#processStream}), as over TCP.
 * </ul>
 */
public final class BigZoneBench {

  private static final Name ZONE = Name.fromConstantString("bench.test.");

  private BigZoneBench() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[1]);
    switch (args[0]) {
      case "load" -> load(file);
      case "parse" -> parse(file);
      case "axfr" -> axfr(file, runs(args));
      case "journal" -> journal(file, runs(args));
      case "zonefile" -> zonefile(file);
      case "dump" -> dump(file, Path.of(args[2]));
      case "build" -> build(file, Path.of(args[2]));
      case "edit" -> edit(file, runs(args));
      default -> throw new IllegalArgumentException("mode: load, parse, zonefile, dump, build, edit, axfr or journal");
    }
  }

  private static void load(Path file) throws Exception {
    Path dir = Files.createTempDirectory("bigzone");
    Path zones = Files.createDirectories(dir.resolve("zones"));
    Files.copy(file, zones.resolve("bench.test.zone"), StandardCopyOption.REPLACE_EXISTING);
    ZoneRegistry registry = new ZoneRegistry();
    long t0 = System.nanoTime();
    long c0 = cpu();
    try (ZoneStores stores =
        ZoneStores.open(new ZoneStores.Layout(zones, zones.resolve(".journal")), ZoneStoreConfig.defaults(), registry, Clock.systemUTC())) {
      long served = System.nanoTime();
      long cpuServed = cpu();
      ZoneSnapshot z = registry.zone(ZONE).orElseThrow();
      System.out.printf(
          "load: %d ms until serving (process cpu %d ms), %d records, serial %d%n",
          ms(t0, served), ms(c0, cpuServed), z.size(), z.serial());
    }
    long closed = System.nanoTime();
    System.out.printf("load: %d ms until closed (background work finished)%n", ms(t0, closed));
    delete(dir);
  }

  private static void parse(Path file) throws Exception {
    long t0 = System.nanoTime();
    long c0 = cpu();
    List<Record> records = new ArrayList<>();
    try (Master master = new Master(file.toString(), ZONE)) {
      master.expandGenerate(true);
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        records.add(r);
      }
    }
    long t1 = System.nanoTime();
    long c1 = cpu();
    ZoneSnapshot z = ZoneSnapshot.of(ZONE, records);
    long t2 = System.nanoTime();
    long c2 = cpu();
    System.out.printf(
        "parse: Master %d ms (cpu %d), ZoneSnapshot.of %d ms (cpu %d), %d records%n",
        ms(t0, t1), ms(c0, c1), ms(t1, t2), ms(c1, c2), z.size());
  }

  private static int runs(String[] args) {
    return args.length > 2 ? Integer.parseInt(args[2]) : 3;
  }

  private static void zonefile(Path file) {
    long t0 = System.nanoTime();
    long j0 = jit();
    long g0 = gc();
    ZoneSnapshot z = ZoneFiles.load(file, ZONE);
    System.out.printf(
        "zonefile: ZoneFiles.load %d ms (JIT %d ms, collector %d ms), %d records%n",
        ms(t0, System.nanoTime()), jit() - j0, gc() - g0, z.size());
  }

  private static void dump(Path file, Path out) throws Exception {
    DNSOutput wire = new DNSOutput();
    for (Record r : ZoneFiles.load(file, ZONE).records()) {
      byte[] w = r.toWire(Section.ANSWER);
      wire.writeU16(w.length);
      wire.writeByteArray(w);
    }
    Files.write(out, wire.toByteArray());
  }

  private static void build(Path small, Path big) throws Exception {
    ZoneSnapshot.of(ZONE, readWire(small));
    List<Record> records = readWire(big);
    long t0 = System.nanoTime();
    long c0 = cpu();
    long j0 = jit();
    long g0 = gc();
    ZoneSnapshot z = ZoneSnapshot.of(ZONE, records);
    System.out.printf(
        "build: ZoneSnapshot.of %d ms (process cpu %d ms, JIT %d ms, collector %d ms), %d records%n",
        ms(t0, System.nanoTime()), ms(c0, cpu()), jit() - j0, gc() - g0, z.size());
  }

  private static List<Record> readWire(Path file) throws Exception {
    DNSInput in = new DNSInput(Files.readAllBytes(file));
    List<Record> records = new ArrayList<>();
    while (in.remaining() > 0) {
      records.add(Record.fromWire(in.readByteArray(in.readU16()), Section.ANSWER));
    }
    return records;
  }

  /** The JIT's compiling time so far, in ms (its threads' wall time: on one core, shared). */
  private static long jit() {
    return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
  }

  /** The collectors' time so far, in ms. */
  private static long gc() {
    long total = 0;
    for (GarbageCollectorMXBean c : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += c.getCollectionTime();
    }
    return total;
  }

  private static void edit(Path file, int runs) throws Exception {
    ZoneSnapshot zone = ZoneFiles.load(file, ZONE);
    Record victim = null;
    for (Record r : zone.records()) {
      if (r.getType() == Type.A) {
        victim = r; // the first A record in canonical order
        break;
      }
    }
    for (int i = 1; i <= runs; i++) {
      // as an IXFR: the record's address changed, with the serial
      Record changed = Record.fromString(victim.getName(), Type.A, DClass.IN, victim.getTTL(), "192.0.2." + (i % 250 + 1), Name.root);
      SOARecord next = Diffs.withSerial(zone.soa(), zone.serial() + 1);
      ZoneDiff diff = new ZoneDiff(ZONE, zone.soa(), next, List.of(victim), List.of(changed));
      long t0 = System.nanoTime();
      long c0 = cpu();
      ZoneSnapshot ixfr = Diffs.applyAll(zone, List.of(diff));
      long t1 = System.nanoTime();
      long c1 = cpu();
      // as the admin API: the same RRset replaced
      ZoneSnapshot edited = ZoneChanges.apply(
          zone, List.of(new ZoneChange.ReplaceRRset(victim.getName(), Type.A, List.of(changed))), zone.serial() + 1);
      long t2 = System.nanoTime();
      long c2 = cpu();
      System.out.printf(
          "edit %d: IXFR applied in %.1f ms (process cpu %.1f ms), admin change in %.1f ms (process cpu %.1f ms), %d and %d records%n",
          i, (t1 - t0) / 1e6, (c1 - c0) / 1e6, (t2 - t1) / 1e6, (c2 - c1) / 1e6, ixfr.size(), edited.size());
      zone = ixfr;
      victim = changed;
    }
  }

  private static void journal(Path file, int runs) throws Exception {
    ZoneSnapshot zone = ZoneFiles.load(file, ZONE);
    Path dir = Files.createTempDirectory("bigzone");
    for (int i = 1; i <= runs; i++) {
      long t0 = System.nanoTime();
      long c0 = cpu();
      Journal.create(dir.resolve("bench.test.journal"), zone, new FlushMark(zone.serial(), "00"), JournalConfig.defaults()).close();
      long t1 = System.nanoTime();
      long c1 = cpu();
      System.out.printf("journal %d: %d ms (process cpu %d ms), %d bytes%n", i, ms(t0, t1), ms(c0, c1), Files.size(dir.resolve("bench.test.journal")));
    }
    delete(dir);
  }

  private static void axfr(Path file, int runs) throws Exception {
    ZoneRegistry registry = new ZoneRegistry();
    registry.put(ZoneFiles.load(file, ZONE));
    if (Boolean.getBoolean("bench.gcAfterLoad")) {
      System.gc(); // the load's garbage collected now, not during the first transfer timed
    }
    AuthoritativeHandler handler =
        new AuthoritativeHandler(registry, null, null, zone -> TransferAcl.parse("127.0.0.0/8"), TsigKeyring.empty());
    MessageProcessor processor = new MessageProcessor(handler, WireOptions.defaults(), WireObserver.NOOP);
    Message axfr = Message.newQuery(Record.newRecord(ZONE, Type.AXFR, DClass.IN));
    axfr.getHeader().setID(4242); // the same bytes out in every JVM: the digests compare
    byte[] query = axfr.toWire();
    QueryContext context =
        new QueryContext(Transport.TCP, new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", 53));
    for (int i = 1; i <= runs; i++) {
      long t0 = System.nanoTime();
      long c0 = cpu();
      List<byte[]> frames = processor.processStream(query, context).toCompletableFuture().join();
      long t1 = System.nanoTime();
      long c1 = cpu();
      long bytes = frames.stream().mapToLong(f -> f.length).sum();
      int answers = 0;
      for (byte[] f : frames) {
        answers += ((f[6] & 0xff) << 8) | (f[7] & 0xff);
      }
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      frames.forEach(sha::update);
      System.out.printf(
          "axfr %d: %d ms (process cpu %d ms), %d messages, %d records, %d bytes, sha256 %s%n",
          i, ms(t0, t1), ms(c0, c1), frames.size(), answers, bytes,
          java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 16));
    }
  }

  /** CPU time of the whole process (all threads, the collector's included), in nanoseconds. */
  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long ms(long from, long to) {
    return (to - from) / 1_000_000;
  }

  private static void delete(Path dir) throws Exception {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
