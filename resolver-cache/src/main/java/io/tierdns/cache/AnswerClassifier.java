package io.tierdns.cache;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Decides what of an upstream response may be cached, and for how long. Pure.
 *
 * <ul>
 *   <li>Only NOERROR and NXDOMAIN answers are cached; SERVFAIL and the like are failures, handled
 *       by the resolver (RFC 9520).
 *   <li>The answer section is followed as a CNAME chain from the question name (at most {@value
 *       #MAX_CHAIN} links); records off the chain are dropped, so an upstream cannot plant data for
 *       names it was not asked about (the bailiwick rule of RFC 5452 §6 in its forwarder form).
 *       DNAME records above a chain name are kept with the CNAME synthesised from them.
 *   <li>Positive: the chain ends in data of the asked type. Each TTL is clamped into [{@code
 *       minTtl}, {@code maxTtl}]; the entry lives as long as the smallest.
 *   <li>Negative (RFC 2308): NXDOMAIN, or NOERROR without the data. Cached only with a SOA in the
 *       authority section at or above the last chain name (§5: without a SOA, SHOULD NOT cache).
 *       The TTL is min(SOA TTL, SOA MINIMUM) (§5), clamped to {@code negativeMaxTtl}; the SOA
 *       goes out with that TTL.
 *   <li>An entry whose TTL comes out as 0 is not cached (RFC 1035 §3.2.1: TTL 0 means "use once").
 * </ul>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2308#section-5">RFC 2308 §5</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2181#section-8">RFC 2181 §8</a>
 */
public final class AnswerClassifier {

  /** Longest CNAME chain followed; longer chains are not cached. */
  public static final int MAX_CHAIN = 16;

  private final CachePolicy policy;

  public AnswerClassifier(CachePolicy policy) {
    this.policy = policy;
  }

  /**
   * The entry to cache for {@code response} to the question {@code key}, or empty when the
   * response must not be cached.
   */
  public Optional<CacheEntry> classify(CacheKey key, Message response, long nowNanos) {
    int rcode = response.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      return Optional.empty();
    }
    Chain chain = follow(key, response.getSection(Section.ANSWER));
    if (chain == null) {
      return Optional.empty();
    }
    if (rcode == Rcode.NOERROR && chain.hasData) {
      return positive(key, chain.records, nowNanos);
    }
    CacheEntry.Kind kind = rcode == Rcode.NXDOMAIN ? CacheEntry.Kind.NXDOMAIN : CacheEntry.Kind.NODATA;
    return negative(key, kind, chain, response.getSection(Section.AUTHORITY), nowNanos);
  }

  private Optional<CacheEntry> positive(CacheKey key, List<Record> records, long now) {
    List<Record> clamped = new ArrayList<>(records.size());
    long ttl = Long.MAX_VALUE;
    for (Record r : records) {
      long t = clampPositive(Records.ttl(r));
      ttl = Math.min(ttl, t);
      clamped.add(Records.withTtl(r, t));
    }
    if (ttl < 1) {
      return Optional.empty();
    }
    return Optional.of(CacheEntry.of(key, CacheEntry.Kind.POSITIVE, clamped, List.of(), ttl, now));
  }

  private Optional<CacheEntry> negative(
      CacheKey key, CacheEntry.Kind kind, Chain chain, List<Record> authority, long now) {
    SOARecord soa = null;
    for (Record r : authority) {
      if (r instanceof SOARecord s && chain.last.subdomain(s.getName())) {
        soa = s;
        break;
      }
    }
    if (soa == null) {
      return Optional.empty();
    }
    long negativeTtl =
        Math.min(
            Math.min(Records.ttl(soa), soa.getMinimum()), policy.negativeMaxTtl().getSeconds());
    long ttl = negativeTtl;
    List<Record> clamped = new ArrayList<>(chain.records.size());
    for (Record r : chain.records) {
      long t = clampPositive(Records.ttl(r));
      ttl = Math.min(ttl, t);
      clamped.add(Records.withTtl(r, t));
    }
    if (ttl < 1) {
      return Optional.empty();
    }
    return Optional.of(
        CacheEntry.of(key, kind, clamped, List.of(Records.withTtl(soa, negativeTtl)), ttl, now));
  }

  private long clampPositive(long ttl) {
    long min = policy.minTtl().getSeconds();
    long max = policy.maxTtl().getSeconds();
    return Math.min(Math.max(ttl, min), max);
  }

  /** The chain from the question name through the answer section, or null when too long. */
  private static Chain follow(CacheKey key, List<Record> answer) {
    int qtype = key.type();
    Set<Name> names = new HashSet<>();
    Name current = key.name();
    names.add(current);
    boolean hasData = false;
    for (int links = 0; ; links++) {
      Name next = null;
      for (Record r : answer) {
        if (!r.getName().equals(current)) {
          continue;
        }
        if (r.getType() == qtype || qtype == Type.ANY) {
          hasData = true;
        } else if (r instanceof CNAMERecord c && next == null) {
          next = c.getTarget();
        }
      }
      if (hasData || next == null) {
        break;
      }
      if (links >= MAX_CHAIN) {
        return null;
      }
      if (!names.add(next)) { // a loop: keep what we have, it ends here
        break;
      }
      current = next;
    }
    List<Record> kept = new ArrayList<>();
    for (Record r : answer) {
      if (keep(r, names, qtype)) {
        kept.add(r);
      }
    }
    return new Chain(kept, current, hasData);
  }

  private static boolean keep(Record r, Set<Name> names, int qtype) {
    if (r.getType() == Type.DNAME) {
      for (Name n : names) {
        if (n.subdomain(r.getName()) && !n.equals(r.getName())) {
          return true;
        }
      }
      return false;
    }
    if (!names.contains(r.getName())) {
      return false;
    }
    int type = r.getType();
    return qtype == Type.ANY || type == qtype || type == Type.CNAME || type == Type.RRSIG;
  }

  private record Chain(List<Record> records, Name last, boolean hasData) {}
}
