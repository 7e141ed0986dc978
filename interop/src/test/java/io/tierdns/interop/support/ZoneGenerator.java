package io.tierdns.interop.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Type;

/**
 * Deterministic generator of two zones, {@code diff.test.} and {@code other.test.}, that cover
 * every case of the RFC 1034 §4.3.2 lookup an authoritative server must get right, plus the
 * list of queries that exercise them.
 *
 * <p>Same seed and size, same bytes: a difference found once can be reproduced with the seed in
 * the report. The zone covers: apex SOA/NS/MX/TXT; A/AAAA hosts with mixed-case owners and
 * varied TTLs; CNAME chains inside the zone (ending at data, at NODATA and at NXDOMAIN); CNAMEs
 * into {@code other.test.} (also served) and out of every zone; wildcards (RFC 4592) with
 * types missing (wildcard NODATA), empty non-terminals that block them ({@code a.b.wild-N}
 * exists, so {@code b.wild-N} is an ENT and {@code x.b.wild-N} is NXDOMAIN), and a wildcard
 * CNAME; delegations with in-bailiwick glue, sibling glue and only out-of-bailiwick NS, with
 * and without DS (RFC 4035 §3.1.4.1: DS is answered by the parent); MX and SRV targets inside
 * the zone (additional section processing); TXT RRsets small, medium and larger than 1232
 * octets (truncation); and large A RRsets.
 *
 * <p>Queries: for every owner several types out of A, AAAA, MX, TXT, NS, SOA, DS, CNAME, SRV,
 * ANY and an unassigned type; names that do not exist (NXDOMAIN), names below delegations
 * (referrals), names outside every zone (REFUSED), and about a quarter of all query names with
 * randomised letter case (0x20).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1034#section-4.3.2">RFC 1034 §4.3.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4592">RFC 4592 wildcards</a>
 */
public final class ZoneGenerator {

  /** The main zone of the differential tests. */
  public static final String ZONE = "diff.test.";
  /** The second zone, target of cross-zone CNAMEs. */
  public static final String OTHER = "other.test.";
  /** An unassigned (private-use) RR type: a type that exists nowhere. */
  public static final int UNKNOWN_TYPE = 65400;

  private static final int[] QTYPES = {
    Type.A, Type.AAAA, Type.MX, Type.TXT, Type.NS, Type.SOA, Type.DS, Type.CNAME, Type.SRV, Type.ANY, UNKNOWN_TYPE
  };

  private final long seed;
  private final int names;
  private final Random random;
  private final StringBuilder main = new StringBuilder();
  private final StringBuilder other = new StringBuilder();
  private final List<Query> queries = new ArrayList<>();
  private int owners;
  private int otherHosts;
  private int hosts;

  /** One query of the generated list; {@code kind} says which case it exercises. */
  public record Query(String qname, int qtype, String kind) {
    @Override
    public String toString() {
      return qname + " " + Type.string(qtype) + " (" + kind + ")";
    }
  }

  /** The files written and the queries to send. */
  public record Generated(long seed, int names, Map<String, Path> zones, List<Query> queries) {}

  public ZoneGenerator(long seed, int names) {
    this.seed = seed;
    this.names = names;
    this.random = new Random(seed);
  }

  /** Writes {@code diff.test.zone} and {@code other.test.zone} into {@code dir}. */
  public Generated writeTo(Path dir) throws IOException {
    generate();
    Files.createDirectories(dir);
    Path mainFile = dir.resolve("diff.test.zone");
    Path otherFile = dir.resolve("other.test.zone");
    Files.writeString(mainFile, main.toString(), StandardCharsets.UTF_8);
    Files.writeString(otherFile, other.toString(), StandardCharsets.UTF_8);
    Map<String, Path> zones = new LinkedHashMap<>();
    zones.put(ZONE, mainFile);
    zones.put(OTHER, otherFile);
    return new Generated(seed, owners, zones, List.copyOf(queries));
  }

  /**
   * Runs {@code named-checkzone -i local} on every zone and throws with its output when one
   * does not pass.
   */
  public static void check(Generated generated) throws IOException, InterruptedException {
    Path checker = Binaries.require("named-checkzone");
    for (Map.Entry<String, Path> zone : generated.zones().entrySet()) {
      Process process = new ProcessBuilder(checker.toString(), "-i", "local", "-k", "fail", "-q",
          zone.getKey(), zone.getValue().toString()).redirectErrorStream(true).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("named-checkzone timed out on " + zone.getValue());
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException("named-checkzone -i local rejects " + zone.getKey() + ":\n" + output);
      }
    }
  }

  private void generate() {
    apexes();
    int group = 0;
    while (owners < names) {
      switch (group++ % 12) {
        case 0, 1, 2, 3 -> host();
        case 4 -> chain();
        case 5 -> crossZoneCname();
        case 6 -> outOfZoneCname();
        case 7 -> wildcardFamily();
        case 8 -> delegation();
        case 9 -> mailAndService();
        case 10 -> txt();
        default -> nxdomains();
      }
    }
    refused();
    caseVariants();
  }

  // --- zone content --------------------------------------------------------------------------

  private void apexes() {
    main.append("; generated by io.tierdns.interop.support.ZoneGenerator seed=").append(seed)
        .append(" names=").append(names).append('\n')
        .append("$ORIGIN diff.test.\n$TTL 3600\n")
        .append("@ 3600 IN SOA ns1.diff.test. hostmaster.diff.test. 2024010101 7200 3600 1209600 300\n")
        .append("@ NS ns1\n@ NS ns2\n@ NS ns.outside.example.\n")
        .append("@ MX 10 mail\n@ MX 20 mail2.outside.example.\n")
        .append("@ TXT \"v=spf1 -all\"\n@ TXT \"tierdns interop\" \"seed=").append(seed).append("\"\n")
        .append("@ AAAA 2001:db8::1\n")
        .append("ns1 A 192.0.2.53\nns1 AAAA 2001:db8::53\nns2 A 192.0.2.54\n")
        .append("mail 300 A 192.0.2.25\nmail 300 AAAA 2001:db8::25\n");
    owners += 4;
    allTypes("diff.test.", "apex");
    allTypes("ns1.diff.test.", "ns-host");
    allTypes("mail.diff.test.", "host");

    other.append("$ORIGIN other.test.\n$TTL 7200\n")
        .append("@ IN SOA ns1.other.test. hostmaster.other.test. 7 3600 900 604800 600\n")
        .append("@ NS ns1\n@ NS ns1.diff.test.\n")
        .append("ns1 A 192.0.2.153\n")
        .append("back CNAME host-0.diff.test.\n");
    for (; otherHosts < Math.max(4, names / 40); otherHosts++) {
      other.append("www-").append(otherHosts).append(" A 198.51.100.").append(otherHosts % 250 + 1).append('\n');
      if (otherHosts % 2 == 0) {
        other.append("www-").append(otherHosts).append(" AAAA 2001:db8:100::").append(Integer.toHexString(otherHosts + 1)).append('\n');
      }
    }
    allTypes("other.test.", "other-apex");
    query("back.other.test.", Type.A, "cname-back-into-main");
    query("www-1.other.test.", Type.A, "other-host");
    query("nope.other.test.", Type.A, "other-nxdomain");
  }

  private void host() {
    int id = hosts++;
    String owner = id % 7 == 3 ? "MiXeD-Host-" + id : "host-" + id;
    String ttl = id % 5 == 0 ? "60 " : id % 5 == 1 ? "86400 " : "";
    int addresses = 1 + random.nextInt(id % 11 == 0 ? 12 : 3);
    for (int i = 0; i < addresses; i++) {
      main.append(owner).append(' ').append(ttl).append("A 10.").append(id / 250 % 250).append('.')
          .append(id % 250).append('.').append(i + 1).append('\n');
    }
    if (random.nextInt(3) > 0) {
      main.append(owner).append(' ').append(ttl).append("AAAA 2001:db8:").append(Integer.toHexString(id))
          .append("::1\n");
    }
    if (random.nextInt(4) == 0) {
      main.append(owner).append(" TXT \"host ").append(id).append("\"\n");
    }
    owners++;
    someTypes(owner.toLowerCase(Locale.ROOT) + ".diff.test.", "host");
  }

  /** An in-zone host name that exists and has an A record (valid MX/SRV/CNAME target). */
  private String existingHost() {
    int id = random.nextInt(Math.max(1, hosts));
    return (id % 7 == 3 ? "MiXeD-Host-" + id : "host-" + id) + ".diff.test.";
  }

  private void chain() {
    int id = owners;
    int length = 2 + random.nextInt(3);
    String end = switch (random.nextInt(4)) {
      case 0 -> "missing-" + id + ".diff.test.";       // chain ends in NXDOMAIN
      case 1 -> "ns2.diff.test.";                      // ends at a name without AAAA (NODATA for AAAA)
      default -> existingHost();
    };
    for (int i = 0; i < length; i++) {
      String target = i + 1 < length ? "chain-" + id + "-" + (i + 1) + ".diff.test." : end;
      main.append("chain-").append(id).append('-').append(i).append(" CNAME ").append(target).append('\n');
      owners++;
    }
    query("chain-" + id + "-0.diff.test.", Type.A, "cname-chain");
    query("chain-" + id + "-0.diff.test.", Type.AAAA, "cname-chain");
    query("chain-" + id + "-0.diff.test.", Type.CNAME, "cname-chain");
    query("chain-" + id + "-" + (length - 1) + ".diff.test.", pick(), "cname-chain-tail");
  }

  private void crossZoneCname() {
    int id = owners++;
    boolean exists = random.nextInt(4) > 0;
    String target = exists ? "www-" + random.nextInt(otherHosts) + ".other.test." : "nope-" + id + ".other.test.";
    main.append("to-other-").append(id).append(" CNAME ").append(target).append('\n');
    String qname = "to-other-" + id + ".diff.test.";
    query(qname, Type.A, "cname-to-other-zone");
    query(qname, pick(), "cname-to-other-zone");
  }

  private void outOfZoneCname() {
    int id = owners++;
    main.append("ext-").append(id).append(" 600 CNAME target-").append(id).append(".outside.example.\n");
    query("ext-" + id + ".diff.test.", Type.A, "cname-out-of-zone");
    query("ext-" + id + ".diff.test.", pick(), "cname-out-of-zone");
  }

  private void wildcardFamily() {
    int id = owners;
    String w = "wild-" + id;
    main.append("*.").append(w).append(" 900 A 192.0.2.").append(id % 250 + 1).append('\n')
        .append("*.").append(w).append(" 900 MX 10 mail.diff.test.\n")
        .append("*.").append(w).append(" 900 TXT \"wildcard ").append(id).append("\"\n")
        .append("a.b.").append(w).append(" TXT \"below an empty non-terminal\"\n")
        .append("real.").append(w).append(" A 192.0.2.200\n")
        .append("*.wc-").append(id).append(" CNAME ").append(existingHost()).append('\n')
        .append("*.wcx-").append(id).append(" CNAME gone-").append(id).append(".diff.test.\n");
    owners += 5;
    String suffix = "." + w + ".diff.test.";
    for (int i = 0; i < 3; i++) {
      query("q" + random.nextInt(100000) + suffix, pick(), "wildcard");
    }
    query("q" + random.nextInt(1000) + suffix, Type.A, "wildcard");
    query("q" + random.nextInt(1000) + suffix, Type.AAAA, "wildcard-nodata");
    query("q" + random.nextInt(1000) + suffix, Type.MX, "wildcard-mx-additional");
    query("deep.er" + suffix, Type.A, "wildcard-multi-label");
    query("*" + suffix, Type.A, "wildcard-owner-literal");
    query("*" + suffix, Type.AAAA, "wildcard-owner-literal");
    query("b" + suffix, Type.A, "empty-non-terminal");
    query("b" + suffix, Type.TXT, "empty-non-terminal");
    query("x.b" + suffix, Type.A, "ent-blocks-wildcard");
    query("a.b" + suffix, Type.TXT, "below-ent");
    query("real" + suffix, Type.A, "exact-beats-wildcard");
    query("real" + suffix, Type.TXT, "exact-nodata-no-wildcard");
    query("x.real" + suffix, Type.A, "below-exact-no-wildcard");
    query(w + ".diff.test.", Type.A, "wildcard-parent-ent");
    query("h" + random.nextInt(1000) + ".wc-" + id + ".diff.test.", Type.A, "wildcard-cname");
    query("h" + random.nextInt(1000) + ".wc-" + id + ".diff.test.", Type.MX, "wildcard-cname");
    query("h" + random.nextInt(1000) + ".wcx-" + id + ".diff.test.", Type.A, "wildcard-cname-dangling");
  }

  private void delegation() {
    int id = owners;
    String d = "del-" + id;
    int style = random.nextInt(4);
    switch (style) {
      case 0 -> main.append(d).append(" NS ns1.").append(d).append('\n')
          .append(d).append(" NS ns.provider.example.\n")
          .append("ns1.").append(d).append(" A 192.0.2.").append(id % 250 + 1).append('\n')
          .append("ns1.").append(d).append(" AAAA 2001:db8:d::").append(Integer.toHexString(id)).append('\n');
      case 1 -> main.append(d).append(" NS ns1.").append(d).append('\n')
          .append(d).append(" NS ns2.").append(d).append('\n')
          .append("ns1.").append(d).append(" A 192.0.2.").append(id % 250 + 1).append('\n')
          .append("ns2.").append(d).append(" A 192.0.2.").append((id + 1) % 250 + 1).append('\n');
      case 2 -> main.append(d).append(" NS ns1.provider.example.\n")
          .append(d).append(" NS ns2.provider.example.\n");
      default -> main.append(d).append(" NS ns1.").append(d).append('\n')
          .append(d).append(" NS ns2.diff.test.\n")  // in-zone but authoritative name server
          .append("ns1.").append(d).append(" A 192.0.2.").append(id % 250 + 1).append('\n');
    }
    boolean signed = random.nextBoolean();
    if (signed) {
      main.append(d).append(" DS ").append(10000 + id % 50000)
          .append(" 13 2 ").append(String.format("%064X", (long) id * 2654435761L)).append('\n');
    }
    owners += 2;
    String zone = d + ".diff.test.";
    query(zone, Type.NS, "delegation");
    query(zone, Type.A, "delegation");
    query(zone, Type.DS, signed ? "delegation-ds" : "delegation-no-ds");
    query(zone, Type.SOA, "delegation");
    query("www." + zone, Type.A, "below-delegation");
    query("www." + zone, Type.DS, "below-delegation");
    query("ns1." + zone, Type.A, "glue-name");
    if (random.nextBoolean()) {
      query(zone, Type.ANY, "delegation-any");
    }
  }

  private void mailAndService() {
    int id = owners;
    main.append("mx-").append(id).append(" MX 10 ").append(existingHost()).append('\n')
        .append("mx-").append(id).append(" MX 20 mail\n")
        .append("mx-").append(id).append(" MX 30 mx.outside.example.\n")
        .append("_sip._tcp.srv-").append(id).append(" SRV 10 60 5060 ").append(existingHost()).append('\n')
        .append("_sip._tcp.srv-").append(id).append(" SRV 20 0 5060 sip.outside.example.\n");
    owners += 2;
    query("mx-" + id + ".diff.test.", Type.MX, "mx-additional");
    query("mx-" + id + ".diff.test.", pick(), "mx-owner");
    query("_sip._tcp.srv-" + id + ".diff.test.", Type.SRV, "srv-additional");
    query("_tcp.srv-" + id + ".diff.test.", Type.SRV, "empty-non-terminal");
    query("srv-" + id + ".diff.test.", Type.A, "empty-non-terminal");
  }

  private void txt() {
    int id = owners++;
    // 1 string: small; 5: about 800 octets; 9 or more: larger than 1232 (TC=1 over UDP)
    int strings = switch (random.nextInt(3)) {
      case 0 -> 1;
      case 1 -> 5;
      default -> 9 + random.nextInt(4);
    };
    for (int i = 0; i < strings; i++) {
      main.append("txt-").append(id).append(" TXT \"").append(i).append(' ')
          .append(letters(strings == 1 ? 20 : 150)).append("\"\n");
    }
    query("txt-" + id + ".diff.test.", Type.TXT, strings > 5 ? "txt-large" : "txt");
    query("txt-" + id + ".diff.test.", Type.ANY, strings > 5 ? "any-large" : "any");
  }

  private void nxdomains() {
    int id = owners++;
    query("nx-" + id + ".diff.test.", pick(), "nxdomain");
    query("nx." + existingHost(), Type.A, "nxdomain-below-host");
    query("nx-" + id + ".other.test.", Type.AAAA, "nxdomain-other");
  }

  private void refused() {
    query("www.outside.example.", Type.A, "refused");
    query("example.", Type.SOA, "refused");
    query("test.", Type.SOA, "refused-parent-of-zones");
    query("test.", Type.NS, "refused-parent-of-zones");
    query("xdiff.test.", Type.A, "refused-sibling");
    query("diff.test.example.", Type.A, "refused");
    query(".", Type.NS, "refused-root");
    query("localhost.", Type.A, "refused");
  }

  private void caseVariants() {
    int size = queries.size();
    for (int i = 0; i < size; i++) {
      if (random.nextInt(4) == 0) {
        Query q = queries.get(i);
        queries.add(new Query(mixCase(q.qname()), q.qtype(), q.kind() + "+0x20"));
      }
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  private void allTypes(String qname, String kind) {
    for (int qtype : QTYPES) {
      query(qname, qtype, kind);
    }
  }

  private void someTypes(String qname, String kind) {
    query(qname, Type.A, kind);
    for (int i = 0; i < 2; i++) {
      query(qname, pick(), kind);
    }
  }

  private int pick() {
    return QTYPES[random.nextInt(QTYPES.length)];
  }

  private void query(String qname, int qtype, String kind) {
    queries.add(new Query(qname, qtype, kind));
  }

  private String letters(int count) {
    StringBuilder text = new StringBuilder(count);
    for (int i = 0; i < count; i++) {
      text.append((char) ('a' + random.nextInt(26)));
    }
    return text.toString();
  }

  private String mixCase(String name) {
    StringBuilder mixed = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      mixed.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
    }
    return mixed.toString();
  }
}
