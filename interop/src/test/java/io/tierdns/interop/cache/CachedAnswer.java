package io.tierdns.interop.cache;

import io.tierdns.interop.diff.NormalizedAnswer;
import io.tierdns.interop.diff.NormalizedAnswer.RRset;
import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * A response reduced to what a caching forwarder must reproduce from the authoritative answer:
 * rcode, the flags QR TC RD AD CD, the question as echoed, the answer section and the SOA of a
 * negative answer, all RRsets without TTLs.
 *
 * <p>Differences allowed between a cache (tierdns or Unbound) and the authoritative server it
 * forwards to, and therefore left out here:
 *
 * <ul>
 *   <li>AA: set by the authoritative server, clear in a cache (RFC 1035 §4.1.1: the cache is
 *       not an authority for the data).
 *   <li>RA: set by a cache, clear (or not meaningful) in an authoritative-only server.
 *   <li>TTLs: a cache counts them down (RFC 1035 §3.2.1); checked separately (never above the
 *       original).
 *   <li>Authority NS on positive answers and the whole additional section: optional data
 *       (RFC 1034 §4.3.2 steps 3a and 6, RFC 2181 §5.4.1 ranks it below answer data); NSD adds
 *       the zone's NS and their addresses, a cache answers minimally. Only the SOA of a
 *       negative answer is compared in authority (RFC 2308 §3 requires it).
 *   <li>The OPT record (payload size, options): each server advertises its own.
 *   <li>Which RRsets answer qtype ANY (RFC 8482 §4.1), see {@link #matches}.
 * </ul>
 */
record CachedAnswer(String header, String question, List<RRset> answer, List<RRset> negativeSoa) {

  static CachedAnswer of(Message message) {
    NormalizedAnswer n = NormalizedAnswer.of(message);
    String header = n.header().replace(" aa", "").replace(" ra", "");
    return new CachedAnswer(header, n.question(), withoutTtl(n.answer()),
        withoutTtl(n.authority().stream().filter(s -> s.type() == Type.SOA).toList()));
  }

  private static List<RRset> withoutTtl(List<RRset> sets) {
    return sets.stream().map(s -> new RRset(s.owner(), 0, s.dclass(), s.type(), s.rdata())).sorted().toList();
  }

  /**
   * Equal, or both a non-empty NOERROR answer to qtype ANY owned by the query name: RFC 8482
   * §4.1 lets a server answer ANY with any subset of the RRsets at the name (NSD picks one,
   * Unbound answers with every RRset of the name it has cached), so for ANY only the header,
   * question and negative SOA are compared.
   */
  boolean matches(CachedAnswer other, String qname, int qtype) {
    if (equals(other)) {
      return true;
    }
    return qtype == Type.ANY && anySubset(qname) && other.anySubset(qname)
        && header.equals(other.header) && question.equals(other.question) && negativeSoa.equals(other.negativeSoa);
  }

  private boolean anySubset(String qname) {
    String owner = qname.toLowerCase(java.util.Locale.ROOT);
    return header.contains(" NOERROR ") && !answer.isEmpty() && answer.stream().allMatch(s -> s.owner().equals(owner));
  }

  /** One line per RRset, for failure messages. */
  String render() {
    StringBuilder text = new StringBuilder("    ").append(header).append(" ; ").append(question).append('\n');
    answer.forEach(s -> text.append("      AN ").append(shortened(s)).append('\n'));
    negativeSoa.forEach(s -> text.append("      NS ").append(shortened(s)).append('\n'));
    return text.toString();
  }

  private static String shortened(RRset set) {
    String text = set.toString();
    return text.length() <= 200 ? text : text.substring(0, 200) + "... (" + set.rdata().size() + " records)";
  }
}
