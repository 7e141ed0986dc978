package io.tierdns.cache;

import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Builds the resolver's responses. A cache answers as a recursive server does: QR and RA set, RD
 * and CD echoed, AA clear (RFC 1035 §4.1.1; the data is not ours). The wire layer fixes ID and OPT.
 */
final class CacheResponses {

  /** EDNS0 payload size we advertise upstream: the DNS Flag Day 2020 value. */
  static final int UPSTREAM_PAYLOAD = 1232;

  private CacheResponses() {}

  /** A response to {@code query} with the given rcode and sections. */
  static Message answer(Message query, int rcode, List<Record> answer, List<Record> authority) {
    Message m = new Message(query.getHeader().getID());
    Header h = m.getHeader();
    h.setOpcode(Opcode.QUERY);
    h.setFlag(Flags.QR);
    h.setFlag(Flags.RA);
    if (query.getHeader().getFlag(Flags.RD)) {
      h.setFlag(Flags.RD);
    }
    if (query.getHeader().getFlag(Flags.CD)) {
      h.setFlag(Flags.CD);
    }
    h.setRcode(rcode);
    m.addRecord(query.getQuestion(), Section.QUESTION);
    for (Record r : answer) {
      m.addRecord(r, Section.ANSWER);
    }
    for (Record r : authority) {
      m.addRecord(r, Section.AUTHORITY);
    }
    return m;
  }

  /** An empty response with {@code rcode}. */
  static Message error(Message query, int rcode) {
    return answer(query, rcode, List.of(), List.of());
  }

  /** The upstream's answer and authority sections, re-headed as ours (for uncacheable answers). */
  static Message relay(Message query, Message upstream) {
    return answer(
        query,
        upstream.getRcode(),
        upstream.getSection(Section.ANSWER),
        upstream.getSection(Section.AUTHORITY).stream()
            .filter(r -> !(r instanceof OPTRecord))
            .toList());
  }

  /**
   * Adds an Extended DNS Error (RFC 8914) in an OPT record; the wire layer keeps its options when
   * the client sent EDNS0 and drops it otherwise.
   */
  static Message withEde(Message response, int code) {
    EDNSOption ede = new ExtendedErrorCodeOption(code);
    response.addRecord(new OPTRecord(UPSTREAM_PAYLOAD, 0, 0, 0, ede), Section.ADDITIONAL);
    return response;
  }

  /** The query the cache sends upstream for {@code key}: RD set, EDNS0 without DO. */
  static Message upstreamQuery(CacheKey key) {
    Message q = Message.newQuery(Record.newRecord(key.name(), key.type(), key.dclass()));
    q.addRecord(new OPTRecord(UPSTREAM_PAYLOAD, 0, 0), Section.ADDITIONAL);
    return q;
  }

  /** Whether the query's class is one a cache serves. */
  static boolean servableClass(int dclass) {
    return dclass == DClass.IN || dclass == DClass.CH || dclass == DClass.HS;
  }
}
