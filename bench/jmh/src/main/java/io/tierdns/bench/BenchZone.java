package io.tierdns.bench;

import io.tierdns.authoritative.ZoneFiles;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The benchmark zone of {@code bench/gen_zone.py}, built in Java: hosts with A (every third with
 * AAAA, every seventh with TXT), MX owners, in-zone CNAMEs, a wildcard {@code *.wild} and
 * delegations with glue; and a query list in the mix of issue 8 (80% existing name and type, 10%
 * NXDOMAIN, 5% NODATA, 5% CNAME / wildcard / referral). Deterministic for a given size and seed.
 * The zone goes through a zone file and {@link ZoneFiles#load}, the path a served zone takes.
 */
final class BenchZone {

  static final Name ORIGIN = Name.fromConstantString("bench.test.");

  /** One question of the query mix. */
  record Question(Name name, int type) {
    Message query() {
      return Message.newQuery(Record.newRecord(name, type, DClass.IN));
    }
  }

  final ZoneSnapshot snapshot;
  final List<Question> questions;

  private BenchZone(ZoneSnapshot snapshot, List<Question> questions) {
    this.snapshot = snapshot;
    this.questions = questions;
  }

  ZoneRegistry registry() {
    ZoneRegistry registry = new ZoneRegistry();
    registry.put(snapshot);
    return registry;
  }

  /** A zone of about {@code records} records and {@code queries} questions. */
  static BenchZone generate(int records, int queries, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    StringBuilder z = new StringBuilder();
    z.append("$ORIGIN bench.test.\n$TTL 3600\n")
        .append("@ IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300\n")
        .append("@ NS ns1\n@ NS ns2\n@ MX 10 mail\n@ TXT \"v=spf1 -all\"\n")
        .append("ns1 A 192.0.2.53\nns2 A 192.0.2.54\nmail A 192.0.2.25\n")
        .append("*.wild A 192.0.2.99\n*.wild TXT \"wildcard\"\n");
    List<String> hosts = new ArrayList<>();
    List<String> aaaa = new ArrayList<>();
    List<String> txt = new ArrayList<>();
    List<String> noAaaa = new ArrayList<>();
    List<String> cnames = new ArrayList<>();
    List<String> mx = new ArrayList<>();
    List<String> delegations = new ArrayList<>();
    int count = 10;
    for (int i = 0; count < records; i++) {
      int kind = i % 10;
      if (kind < 6) {
        String name = "host-" + i;
        z.append(name).append(" A 10.").append(i >> 16 & 255).append('.').append(i >> 8 & 255)
            .append('.').append(i & 255).append('\n');
        count++;
        if (i % 3 == 0) {
          z.append(name).append(" AAAA 2001:db8::").append(Integer.toHexString(i >> 16)).append(':')
              .append(Integer.toHexString(i & 0xffff)).append('\n');
          aaaa.add(name);
          count++;
        } else {
          noAaaa.add(name);
        }
        if (i % 7 == 0) {
          z.append(name).append(" TXT \"host ").append(i).append("\"\n");
          txt.add(name);
          count++;
        }
        hosts.add(name);
      } else if (kind < 8) {
        String name = "alias-" + i;
        z.append(name).append(" CNAME ").append(hosts.get(rnd.nextInt(hosts.size()))).append('\n');
        cnames.add(name);
        count++;
      } else if (kind == 8) {
        String name = "mx-" + i;
        z.append(name).append(" MX 10 ").append(hosts.get(rnd.nextInt(hosts.size()))).append('\n');
        z.append(name).append(" MX 20 mail\n");
        mx.add(name);
        count += 2;
      } else {
        String name = "del-" + i;
        z.append(name).append(" NS ns1.").append(name).append('\n');
        z.append("ns1.").append(name).append(" A 192.0.2.").append(i % 250 + 1).append('\n');
        delegations.add(name);
        count += 2;
      }
    }
    ZoneSnapshot snapshot;
    try {
      Path file = Files.createTempFile("tierdns-bench-", ".zone");
      try {
        Files.writeString(file, z);
        snapshot = ZoneFiles.load(file, ORIGIN);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Question> qs = new ArrayList<>(queries);
    for (int q = 0; q < queries; q++) {
      double r = rnd.nextDouble();
      if (r < 0.50) {
        qs.add(q(pick(rnd, hosts), Type.A));
      } else if (r < 0.63) {
        qs.add(q(pick(rnd, aaaa), Type.AAAA));
      } else if (r < 0.70) {
        qs.add(q(pick(rnd, mx), Type.MX));
      } else if (r < 0.75) {
        qs.add(q(pick(rnd, txt), Type.TXT));
      } else if (r < 0.80) {
        qs.add(q("@", new int[] {Type.SOA, Type.NS, Type.MX, Type.TXT}[rnd.nextInt(4)]));
      } else if (r < 0.90) {
        qs.add(q("nx-" + rnd.nextInt(10_000_000), Type.A));
      } else if (r < 0.95) {
        qs.add(rnd.nextBoolean() ? q(pick(rnd, noAaaa), Type.AAAA) : q(pick(rnd, hosts), Type.MX));
      } else {
        int s = rnd.nextInt(3);
        qs.add(
            s == 0
                ? q(pick(rnd, cnames), Type.A)
                : s == 1
                    ? q("q" + rnd.nextInt(1_000_000) + ".wild", Type.A)
                    : q("www." + pick(rnd, delegations), Type.A));
      }
    }
    return new BenchZone(snapshot, List.copyOf(qs));
  }

  private static String pick(SplittableRandom rnd, List<String> from) {
    return from.get(rnd.nextInt(from.size()));
  }

  private static Question q(String relative, int type) {
    try {
      return new Question(
          relative.equals("@") ? ORIGIN : Name.fromString(relative, ORIGIN), type);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(relative, e);
    }
  }
}
