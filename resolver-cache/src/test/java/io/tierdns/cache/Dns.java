package io.tierdns.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** Test helpers for names, records and messages. */
final class Dns {

  private Dns() {}

  static Name name(String s) {
    try {
      return Name.fromString(s, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A record from presentation fields, e.g. {@code rr("www.example.", "A", 300, "192.0.2.1")}. */
  static Record rr(String owner, String type, long ttl, String rdata) {
    try {
      return Record.fromString(name(owner), Type.value(type), DClass.IN, ttl, rdata, Name.root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Record soa(String zone, long ttl, long minimum) {
    return rr(zone, "SOA", ttl, "ns." + zone + " host." + zone + " 1 3600 600 86400 " + minimum);
  }

  static Message query(String name, String type) {
    Message q = Message.newQuery(Record.newRecord(name(name), Type.value(type), DClass.IN));
    return q;
  }

  static Message queryWithEdns(String name, String type) {
    Message q = query(name, type);
    q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    return q;
  }

  /** A response to {@code query} as an upstream would send it. */
  static Message response(Message query, int rcode, List<Record> answer, List<Record> authority) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.RD);
    m.getHeader().setFlag(Flags.RA);
    m.getHeader().setRcode(rcode);
    m.addRecord(query.getQuestion(), Section.QUESTION);
    answer.forEach(r -> m.addRecord(r, Section.ANSWER));
    authority.forEach(r -> m.addRecord(r, Section.AUTHORITY));
    return m;
  }

  /** The EDE info-codes in a response's OPT. */
  static List<Integer> edeCodes(Message m) {
    OPTRecord opt = m.getOPT();
    if (opt == null) {
      return List.of();
    }
    return opt.getOptions(org.xbill.DNS.EDNSOption.Code.EDNS_EXTENDED_ERROR).stream()
        .map(o -> ((ExtendedErrorCodeOption) o).getErrorCode())
        .toList();
  }

  static List<Long> ttls(Message m, int section) {
    return m.getSection(section).stream().map(Record::getTTL).toList();
  }
}
