package io.tierdns.node.api;

import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.ZoneChange;
import io.tierdns.node.api.PdnsModel.RRsetJson;
import io.tierdns.node.api.PdnsModel.RecordJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Converts between PowerDNS API RRsets (JSON) and tierdns zone changes and snapshots. Pure: every
 * rule is unit-tested, and a rejected RRset is reported with the reason PowerDNS clients show.
 */
public final class RRsets {

  /** TTL used when a REPLACE gives none (PowerDNS requires one; we are lenient). */
  static final long DEFAULT_TTL = 3600;

  private RRsets() {}

  /**
   * The changes of a PATCH body, in order, validated as a whole before anything is applied.
   *
   * @throws ApiException 422 naming the first RRset at fault
   */
  public static List<ZoneChange> toChanges(Name zone, List<RRsetJson> rrsets) {
    if (rrsets == null) {
      throw ApiException.unprocessable("No rrsets given");
    }
    List<ZoneChange> changes = new ArrayList<>(rrsets.size());
    Set<String> seen = new HashSet<>();
    for (RRsetJson rrset : rrsets) {
      if (rrset == null) {
        throw ApiException.unprocessable("null is not an RRset");
      }
      Name name = name(zone, rrset);
      int type = type(rrset);
      String where = "RRset " + name + " IN " + Type.string(type);
      if (!seen.add(name.toString().toLowerCase(Locale.ROOT) + "/" + type)) {
        throw ApiException.unprocessable(where + ": duplicate RRset in one request");
      }
      String changetype = rrset.changetype() == null ? "" : rrset.changetype().toUpperCase(Locale.ROOT);
      switch (changetype) {
        case "DELETE" -> {
          if (type == Type.SOA && name.equals(zone)) {
            throw ApiException.unprocessable(where + ": the zone's SOA cannot be deleted");
          }
          changes.add(new ZoneChange.DeleteRRset(name, type));
        }
        case "REPLACE" -> {
          List<Record> records = records(name, type, rrset, where);
          if (records.isEmpty()) {
            if (type == Type.SOA && name.equals(zone)) {
              throw ApiException.unprocessable(where + ": the zone's SOA cannot be deleted");
            }
            changes.add(new ZoneChange.DeleteRRset(name, type));
          } else {
            changes.add(new ZoneChange.ReplaceRRset(name, type, records));
          }
        }
        default -> throw ApiException.unprocessable(
            where + ": changetype must be REPLACE or DELETE, not '" + rrset.changetype() + "'");
      }
    }
    return changes;
  }

  /** The records of an RRset in a create or REPLACE request; disabled records are left out. */
  public static List<Record> records(Name name, int type, RRsetJson rrset, String where) {
    long ttl = rrset.ttl() == null ? DEFAULT_TTL : rrset.ttl();
    if (ttl < 0 || ttl > 0x7FFFFFFFL) {
      throw ApiException.unprocessable(where + ": TTL " + ttl + " is out of range 0..2147483647");
    }
    List<Record> records = new ArrayList<>();
    if (rrset.records() == null) {
      return records;
    }
    for (RecordJson r : rrset.records()) {
      if (r == null || r.content() == null) {
        throw ApiException.unprocessable(where + ": a record without content");
      }
      if (Boolean.TRUE.equals(r.disabled())) {
        continue; // tierdns stores no disabled records (docs/admin-api.md)
      }
      if ((type == Type.TXT || type == Type.SPF) && !quotedOrOneToken(r.content())) {
        // dnsjava would split it at the spaces into several strings, which breaks SPF and DKIM
        throw ApiException.unprocessable(
            where + ": Data field in DNS should start with quote (\") at position 0 of '" + r.content() + "'");
      }
      try {
        records.add(Record.fromString(name, type, DClass.IN, ttl, escapeNonAscii(r.content()), Name.root));
      } catch (java.io.IOException | RuntimeException e) {
        throw ApiException.unprocessable(
            where + ": invalid content '" + r.content() + "': " + e.getMessage());
      }
    }
    return records;
  }

  /**
   * Whether TXT content is quoted, or one bare token as PowerDNS also accepts. Unquoted content
   * with whitespace is refused as PowerDNS refuses it, rather than split into several strings.
   *
   * @see <a href="https://www.rfc-editor.org/rfc/rfc1035#section-5.1">RFC 1035 section 5.1</a>
   */
  static boolean quotedOrOneToken(String content) {
    String text = content.strip();
    return text.startsWith("\"") || text.chars().noneMatch(Character::isWhitespace);
  }

  /**
   * Content with every character above 0x7F written as {@code \DDD} escapes of its UTF-8 bytes.
   * dnsjava's master-file parser takes each character as one byte (Latin-1), so {@code café} would
   * otherwise be stored double-encoded; PowerDNS stores the UTF-8 bytes once and shows them so.
   */
  static String escapeNonAscii(String content) {
    if (content.chars().allMatch(c -> c < 0x80)) {
      return content;
    }
    StringBuilder out = new StringBuilder(content.length() + 16);
    boolean escaped = false;
    for (int i = 0; i < content.length(); ) {
      int cp = content.codePointAt(i);
      i += Character.charCount(cp);
      if (cp < 0x80) {
        out.append((char) cp);
        escaped = !escaped && cp == '\\';
        continue;
      }
      if (escaped) {
        // "\é" means the character itself: drop the backslash, the \DDD escapes stand for it
        out.setLength(out.length() - 1);
        escaped = false;
      }
      for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
        out.append('\\').append(String.format(Locale.ROOT, "%03d", b & 0xFF));
      }
    }
    return out.toString();
  }

  /** Every RRset of a zone, in canonical order, as PowerDNS returns them. */
  public static List<RRsetJson> fromSnapshot(ZoneSnapshot zone) {
    Map<String, List<Record>> grouped = new LinkedHashMap<>();
    for (Record r : zone.records()) {
      grouped.computeIfAbsent(r.getName() + "/" + r.getType(), k -> new ArrayList<>()).add(r);
    }
    List<RRsetJson> out = new ArrayList<>(grouped.size());
    for (List<Record> rrset : grouped.values()) {
      Record first = rrset.get(0);
      List<RecordJson> records = new ArrayList<>(rrset.size());
      for (Record r : rrset) {
        records.add(new RecordJson(content(r), false));
      }
      out.add(new RRsetJson(
          first.getName().toString(), Type.string(first.getType()), first.getTTL(), null, records, List.of()));
    }
    return out;
  }

  /** A record's content as PowerDNS shows it: presentation format, AAAA in RFC 5952 form. */
  public static String content(Record r) {
    return r.getType() == Type.AAAA ? Ipv6Text.of(r.rdataToWireCanonical()) : r.rdataToString();
  }

  /** A record as one master-file line, its content as {@link #content} shows it. */
  public static String line(Record r) {
    String line = r.toString();
    return r.getType() == Type.AAAA
        ? line.substring(0, line.length() - r.rdataToString().length()) + content(r)
        : line;
  }

  /** Parses a zone name from the API: {@code example.test.} or {@code example.test}. */
  public static Name zoneName(String text) {
    if (text == null || text.isBlank()) {
      throw ApiException.unprocessable("zone name is missing");
    }
    try {
      String decoded = text.replace("=2F", "/");
      return Name.fromString(decoded.endsWith(".") ? decoded : decoded + ".");
    } catch (TextParseException e) {
      throw ApiException.unprocessable("invalid zone name '" + text + "': " + e.getMessage());
    }
  }

  private static Name name(Name zone, RRsetJson rrset) {
    if (rrset.name() == null || rrset.name().isBlank()) {
      throw ApiException.unprocessable("RRset without a name");
    }
    Name name;
    try {
      String text = rrset.name().endsWith(".") ? rrset.name() : rrset.name() + ".";
      name = Name.fromString(text);
    } catch (TextParseException e) {
      throw ApiException.unprocessable("invalid RRset name '" + rrset.name() + "': " + e.getMessage());
    }
    if (!name.subdomain(zone)) {
      throw ApiException.unprocessable("RRset " + name + ": name is out of zone " + zone);
    }
    return name;
  }

  private static int type(RRsetJson rrset) {
    int type = rrset.type() == null ? -1 : Type.value(rrset.type().toUpperCase(Locale.ROOT));
    if (type < 0 || type == Type.ANY || type == Type.AXFR || type == Type.IXFR || type == Type.OPT) {
      throw ApiException.unprocessable("RRset " + rrset.name() + ": invalid type '" + rrset.type() + "'");
    }
    return type;
  }
}
