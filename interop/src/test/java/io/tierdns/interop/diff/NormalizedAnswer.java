package io.tierdns.interop.diff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A DNS response reduced to what the differential comparison looks at: rcode (with the EDNS
 * extended bits), opcode, the flags QR AA TC RD RA AD CD, the question exactly as echoed, each
 * section as a sorted multiset of RRsets, and the OPT record (payload, version, DO, options).
 *
 * <p>Owner names and the names inside NS/CNAME/MX/SRV/SOA/PTR/DNAME rdata are compared in
 * lower case, because DNS names compare case-insensitively (RFC 4343 §3); the question is
 * compared exactly, because RFC 1035 §7.3 resolvers and 0x20 randomisation rely on it being
 * echoed as sent. Record order inside a section is not significant (RFC 2181 §5).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2181#section-5">RFC 2181 §5 RRsets</a>
 */
public record NormalizedAnswer(
    String header, String question, List<RRset> answer, List<RRset> authority, List<RRset> additional, String opt) {

  private static final Set<Integer> NAME_RDATA = Set.of(
      Type.NS, Type.CNAME, Type.MX, Type.SRV, Type.SOA, Type.PTR, Type.DNAME);

  /** One RRset: owner (lower case), TTL, class, type and its sorted rdata. */
  public record RRset(String owner, long ttl, int dclass, int type, List<String> rdata) implements Comparable<RRset> {
    @Override
    public int compareTo(RRset other) {
      return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
      return owner + " " + ttl + " " + DClass.string(dclass) + " " + Type.string(type) + " " + String.join(" | ", rdata);
    }
  }

  /** The stand-in for a query that got no response at all. */
  public static final NormalizedAnswer NO_RESPONSE =
      new NormalizedAnswer("NO RESPONSE", "", List.of(), List.of(), List.of(), "");

  /** Normalises a parsed response. */
  public static NormalizedAnswer of(Message message) {
    var h = message.getHeader();
    StringBuilder flags = new StringBuilder();
    for (int flag : new int[] {Flags.QR, Flags.AA, Flags.TC, Flags.RD, Flags.RA, Flags.AD, Flags.CD}) {
      if (h.getFlag(flag)) {
        flags.append(Flags.string(flag)).append(' ');
      }
    }
    String header = Opcode.string(h.getOpcode()) + " " + Rcode.string(message.getRcode()) + " flags: " + flags.toString().trim();
    List<Record> questions = message.getSection(Section.QUESTION);
    String question = questions.isEmpty() ? "(none)" : questions.get(0).getName().toString()
        + " " + DClass.string(questions.get(0).getDClass()) + " " + Type.string(questions.get(0).getType())
        + (questions.size() > 1 ? " +" + (questions.size() - 1) : "");
    List<Record> additional = new ArrayList<>();
    for (Record record : message.getSection(Section.ADDITIONAL)) {
      if (record.getType() != Type.OPT) {
        additional.add(record);
      }
    }
    return new NormalizedAnswer(header, question,
        rrsets(message.getSection(Section.ANSWER)), rrsets(message.getSection(Section.AUTHORITY)),
        rrsets(additional), opt(message.getOPT()));
  }

  private static String opt(OPTRecord opt) {
    if (opt == null) {
      return "no OPT";
    }
    boolean dnssecOk = (opt.getFlags() & ExtendedFlags.DO) != 0;
    return "OPT payload=" + opt.getPayloadSize() + " version=" + opt.getVersion()
        + " do=" + (dnssecOk ? 1 : 0) + (opt.getOptions().isEmpty() ? "" : " options=" + opt.getOptions());
  }

  static List<RRset> rrsets(List<Record> records) {
    Map<String, List<Record>> grouped = new LinkedHashMap<>();
    for (Record record : records) {
      String key = record.getName().toString().toLowerCase(Locale.ROOT) + "|" + record.getTTL()
          + "|" + record.getDClass() + "|" + record.getType();
      grouped.computeIfAbsent(key, k -> new ArrayList<>()).add(record);
    }
    Map<String, RRset> sorted = new TreeMap<>();
    int duplicate = 0;
    for (List<Record> group : grouped.values()) {
      Record first = group.get(0);
      List<String> rdata = new ArrayList<>();
      for (Record record : group) {
        String text = record.rdataToString();
        rdata.add(NAME_RDATA.contains(record.getType()) ? text.toLowerCase(Locale.ROOT) : text);
      }
      rdata.sort(null);
      RRset set = new RRset(first.getName().toString().toLowerCase(Locale.ROOT), first.getTTL(),
          first.getDClass(), first.getType(), List.copyOf(rdata));
      sorted.put(set.toString() + "#" + duplicate++, set);
    }
    List<RRset> result = new ArrayList<>(sorted.values());
    result.sort(null);
    return List.copyOf(result);
  }

  /** Whether the response has TC set. */
  public boolean truncated() {
    return header.contains(" tc");
  }

  /** Copy with other sections. */
  public NormalizedAnswer with(List<RRset> newAnswer, List<RRset> newAuthority, List<RRset> newAdditional) {
    return new NormalizedAnswer(header, question, sorted(newAnswer), sorted(newAuthority), sorted(newAdditional), opt);
  }

  /** Copy with another header line. */
  public NormalizedAnswer withHeader(String newHeader) {
    return new NormalizedAnswer(newHeader, question, answer, authority, additional, opt);
  }

  private static List<RRset> sorted(List<RRset> sets) {
    List<RRset> copy = new ArrayList<>(sets);
    copy.sort(null);
    return List.copyOf(copy);
  }

  /** dig-like text for reports. */
  public String render() {
    StringBuilder text = new StringBuilder();
    text.append("    ").append(header).append("; ").append(opt).append('\n');
    text.append("    ;QUESTION ").append(question).append('\n');
    section(text, "ANSWER", answer);
    section(text, "AUTHORITY", authority);
    section(text, "ADDITIONAL", additional);
    return text.toString();
  }

  private static void section(StringBuilder text, String title, List<RRset> sets) {
    if (sets.isEmpty()) {
      return;
    }
    text.append("    ;").append(title).append('\n');
    for (RRset set : sets) {
      text.append("      ").append(set).append('\n');
    }
  }
}
