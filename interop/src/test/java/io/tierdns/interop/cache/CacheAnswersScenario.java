package io.tierdns.interop.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.interop.diff.NormalizedAnswer;
import io.tierdns.interop.diff.NormalizedAnswer.RRset;
import io.tierdns.interop.support.Await;
import io.tierdns.interop.support.CacheNode;
import io.tierdns.interop.support.DnsClient;
import io.tierdns.interop.support.DumpPeerLogsOnFailure;
import io.tierdns.interop.support.PeerProcess;
import io.tierdns.interop.support.ZoneGenerator;
import io.tierdns.interop.support.ZoneGenerator.Generated;
import io.tierdns.interop.support.ZoneGenerator.Query;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Scenario {@code interop/cache/FRONT_UPSTREAM}: an authoritative server (NSD or Knot DNS)
 * serves the generated zones; a cache in front of it (a tierdns cache, or Unbound forwarding to
 * a tierdns cache) gets the same few hundred recursive queries as the authoritative server
 * itself, and every answer must match the direct one as a {@link CachedAnswer} (rcode, flags
 * except AA and RA, question, answer section and negative SOA, TTLs aside). Then, at least two
 * seconds later, a second pass must be answered from the cache: same answers, TTLs counted down
 * by at least 2 and never above the authoritative TTL, and no upstream query made by the tierdns
 * cache (its {@code misses} counter) except for answers that RFC 2308 §5 forbids caching (a
 * negative answer without SOA: Knot answers a CNAME into another zone it serves with the CNAME
 * alone, RFC 6604 §2.1, and such answers are relayed, not cached, so their TTLs do not count
 * down; they are only checked never to exceed the authoritative TTL).
 *
 * <p>Queries: the {@link ZoneGenerator} list without the cases a forwarder cannot reproduce from
 * an authoritative-only upstream: referrals (below delegations, glue names, the delegation
 * point), names outside every zone (REFUSED) and CNAMEs out of every served zone (a resolver
 * chases those on the internet). A query whose UDP answer is truncated is repeated over TCP on
 * both sides.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DumpPeerLogsOnFailure.class)
abstract class CacheAnswersScenario {

  private static final Set<String> NOT_FORWARDABLE = Set.of(
      "delegation", "below-delegation", "glue-name", "refused", "cname-out-of-zone");
  private static final int REPORTED = 20;

  private Generated zones;
  private PeerProcess upstream;
  private CacheNode cache;
  private PeerProcess front;
  private List<Query> queries;

  /** The authoritative server of the pair, not started. */
  abstract PeerProcess upstream(Map<String, Path> zones);

  /** What clients query: the cache itself, or a server started here in front of it. */
  PeerProcess front(Map<String, Path> zones, CacheNode cache) {
    return cache;
  }

  @BeforeAll
  void startServers() throws Exception {
    zones = new ZoneGenerator(Long.getLong("tierdns.interop.seed", 20240101L),
        Integer.getInteger("tierdns.interop.cache.names", 150))
        .writeTo(Files.createTempDirectory("tierdns-interop-cache-zones-"));
    queries = zones.queries().stream()
        .filter(q -> NOT_FORWARDABLE.stream().noneMatch(k -> q.kind().replace("+0x20", "").startsWith(k)))
        .toList();
    upstream = upstream(zones.zones()).start();
    cache = new CacheNode(zones.zones(), upstream.port());
    cache.start();
    front = front(zones.zones(), cache);
    if (front != cache) {
      front.start();
    }
  }

  @AfterAll
  void stopServers() {
    for (PeerProcess peer : new PeerProcess[] {front, cache, upstream}) {
      if (peer != null) {
        peer.close();
      }
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void answersMatchTheAuthoritativeServerAndTheSecondPassComesFromTheCache() throws Exception {
    assertThat(queries).hasSizeGreaterThan(200);
    List<String> differences = new ArrayList<>();
    List<Message> direct = new ArrayList<>();
    List<Message> first = new ArrayList<>();
    List<Boolean> overTcp = new ArrayList<>();
    try (DnsClient authoritative = new DnsClient(upstream.port(), 3000);
        DnsClient cached = new DnsClient(front.port(), 5000)) {
      for (Query query : queries) {
        Message[] pair = askBoth(authoritative, cached, query);
        direct.add(pair[0]);
        first.add(pair[1]);
        overTcp.add(pair[2] != null);
        compare("pass 1", query, pair[0], pair[1], differences);
        checkTtls("pass 1", query, pair[0], pair[1], null, differences);
      }
      Await.pause(2200);
      String before = cache.stats();
      int uncacheable = 0;
      for (int i = 0; i < queries.size(); i++) {
        Query query = queries.get(i);
        boolean tcp = overTcp.get(i);
        Message second = ask(cached, query, tcp);
        Message reference = direct.get(i);
        compare("pass 2", query, reference, second, differences);
        if (cacheable(reference)) {
          checkTtls("pass 2", query, reference, second, first.get(i), differences);
        } else {
          // relayed from upstream each time (e.g. Knot's CNAME into another zone, without SOA)
          checkTtls("pass 2", query, reference, second, null, differences);
          uncacheable++;
        }
      }
      String after = cache.stats();
      long misses = counter(after, "misses") - counter(before, "misses");
      long hits = counter(after, "hits") - counter(before, "hits");
      if (front == cache) {
        assertThat(misses).as("tierdns cache misses in pass 2 (uncacheable answers: %d); stats before %s after %s",
            uncacheable, before, after).isLessThanOrEqualTo(uncacheable);
        assertThat(hits).as("tierdns cache hits in pass 2").isGreaterThanOrEqualTo(queries.size() - uncacheable);
      } else {
        assertThat(misses).as("tierdns cache misses while the front answers pass 2 from its own cache")
            .isLessThanOrEqualTo(uncacheable);
      }
    }
    assertThat(differences.subList(0, Math.min(REPORTED, differences.size())))
        .as("%d differences in %d queries x 2 passes (first %d shown)", differences.size(), queries.size(), REPORTED)
        .isEmpty();
  }

  /** Direct and cached answers, over UDP or, when either is truncated, both over TCP (third non-null). */
  private Message[] askBoth(DnsClient authoritative, DnsClient cached, Query query) throws IOException {
    Message direct = ask(authoritative, query, false);
    Message viaCache = ask(cached, query, false);
    if (direct.getHeader().getFlag(Flags.TC) || viaCache.getHeader().getFlag(Flags.TC)) {
      direct = ask(authoritative, query, true);
      viaCache = ask(cached, query, true);
      return new Message[] {direct, viaCache, viaCache};
    }
    return new Message[] {direct, viaCache, null};
  }

  private static Message ask(DnsClient client, Query query, boolean tcp) throws IOException {
    Message request = DnsClient.recursiveQuery(query.qname(), query.qtype());
    Optional<Message> response = tcp ? client.tcp(request) : client.udp(request);
    if (response.isEmpty()) {
      throw new AssertionError("no response to " + query + (tcp ? " over TCP" : " over UDP"));
    }
    return response.get();
  }

  private void compare(String pass, Query query, Message direct, Message viaCache, List<String> differences) {
    CachedAnswer expected = CachedAnswer.of(direct);
    CachedAnswer actual = CachedAnswer.of(viaCache);
    if (!expected.matches(actual, query.qname(), query.qtype())) {
      differences.add(pass + " " + query + "\n  " + upstream.name() + ":\n" + expected.render()
          + "  " + front.name() + ":\n" + actual.render());
    }
  }

  /**
   * Every RRset of the cache's answer and authority has a TTL at most the authoritative one, at
   * least 1, and, in the second pass, at least 2 below the first pass (2.2 s have gone by).
   */
  private void checkTtls(String pass, Query query, Message direct, Message viaCache, Message firstPass,
      List<String> differences) {
    List<RRset> original = ttlSets(direct);
    List<RRset> earlier = firstPass == null ? List.of() : ttlSets(firstPass);
    for (RRset set : ttlSets(viaCache)) {
      for (RRset o : original) {
        if (same(o, set) && (set.ttl() > o.ttl() || set.ttl() < 1)) {
          differences.add(pass + " " + query + ": TTL " + set + " vs authoritative " + o.ttl());
        }
      }
      for (RRset e : earlier) {
        if (same(e, set) && set.ttl() > e.ttl() - 2) {
          differences.add(pass + " " + query + ": TTL did not count down: " + set + " after " + e.ttl());
        }
      }
    }
  }

  private static List<RRset> ttlSets(Message m) {
    NormalizedAnswer n = NormalizedAnswer.of(m);
    List<RRset> sets = new ArrayList<>(n.answer());
    sets.addAll(n.authority().stream().filter(s -> s.type() == org.xbill.DNS.Type.SOA).toList());
    return sets;
  }

  private static boolean same(RRset a, RRset b) {
    return a.owner().equals(b.owner()) && a.type() == b.type() && a.rdata().equals(b.rdata());
  }

  /**
   * Whether a cache may keep this authoritative answer: data for the question, or a negative
   * answer with a SOA (RFC 2308 §5).
   */
  private static boolean cacheable(Message direct) {
    int rcode = direct.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      return false;
    }
    int qtype = direct.getQuestion().getType();
    for (Record r : direct.getSection(Section.ANSWER)) {
      if (r.getType() == qtype || qtype == org.xbill.DNS.Type.ANY) {
        return true;
      }
    }
    return direct.getSection(Section.AUTHORITY).stream().anyMatch(r -> r.getType() == org.xbill.DNS.Type.SOA);
  }

  private static long counter(String stats, String name) {
    return CacheNode.counter(stats, name).orElseThrow(
        () -> new AssertionError("no counter '" + name + "' in GET /api/v1/tierdns/cache/stats: " + stats));
  }
}
