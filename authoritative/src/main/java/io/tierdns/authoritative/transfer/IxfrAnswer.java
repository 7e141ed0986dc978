package io.tierdns.authoritative.transfer;

import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.serial.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Reads an IXFR answer that came back whole in one message (RFC 1995 §4), as the small
 * differences a subscription relays nearly always do. Pure.
 *
 * <p>It answers only for a complete, well-formed message: NOERROR, not truncated, and either the
 * upstream's SOA alone at a serial not newer than ours (current), or a sequence that opens and
 * closes with the upstream's SOA: incremental (the second record is our SOA, then difference
 * sequences, each an old SOA, deletions, a new SOA, additions) or AXFR-style (no second SOA). For
 * anything else (an error, a stream that continues in another message, a lone newer SOA that
 * means "ask over TCP") it answers empty and the caller does a full {@code ZoneTransferIn}, which
 * reads streams and reports errors as before.
 *
 * <p>Used by subscribed caches and by secondaries: one non-blocking exchange instead of dnsjava's
 * blocking transfer on every hop of a small change.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1995#section-4">RFC 1995 §4</a>
 */
public final class IxfrAnswer {

  private IxfrAnswer() {}

  /**
   * The IXFR query from {@code ours} (RD clear, our SOA in the authority section, RFC 1995 §3);
   * over UDP with EDNS0 and a payload size of 1232, so a change of a few records fits.
   */
  public static Message query(Name zone, SOARecord ours, boolean udp) {
    Message q = Message.newQuery(Record.newRecord(zone, Type.IXFR, DClass.IN));
    q.getHeader().unsetFlag(Flags.RD);
    q.addRecord(ours, Section.AUTHORITY);
    if (udp) {
      q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    }
    return q;
  }

  /** What a complete one-message IXFR answer says. */
  public sealed interface Reading {}

  /** The upstream is at our serial (or behind it): nothing to transfer. */
  public record Current() implements Reading {}

  /** Difference sequences from our serial to the upstream's, oldest first. */
  public record Incremental(List<ZoneDiff> diffs) implements Reading {
    public Incremental {
      diffs = List.copyOf(diffs);
    }
  }

  /**
   * An AXFR-style answer: the whole zone at {@code soa}.
   *
   * @param records the zone's records, its SOA first and only once
   */
  public record Whole(SOARecord soa, List<Record> records) implements Reading {
    public Whole {
      records = List.copyOf(records);
    }
  }

  /**
   * @param zone the zone asked for
   * @param from our version (the serial in the query)
   * @return the result, or empty when the message is not a complete answer this can read
   */
  public static Optional<Reading> read(Name zone, SOARecord from, Message response) {
    if (response.getRcode() != Rcode.NOERROR || response.getHeader().getFlag(Flags.TC)) {
      return Optional.empty();
    }
    List<Record> rs = response.getSection(Section.ANSWER);
    if (rs.isEmpty() || !(rs.get(0) instanceof SOARecord newest) || !newest.getName().equals(zone)) {
      return Optional.empty();
    }
    if (rs.size() == 1) {
      return Serial.isNewer(newest.getSerial(), from.getSerial())
          ? Optional.empty() // "use TCP", or the start of a stream: not ours to read
          : Optional.of(new Current());
    }
    if (rs.size() < 3 || !closes(rs, newest)) {
      return Optional.empty();
    }
    if (!(rs.get(1) instanceof SOARecord)) {
      for (int i = 1; i < rs.size() - 1; i++) {
        if (isSoa(rs.get(i), zone)) {
          return Optional.empty(); // an SOA inside an AXFR-style answer: malformed
        }
      }
      return Optional.of(new Whole(newest, rs.subList(0, rs.size() - 1)));
    }
    return differences(zone, from, newest, rs.subList(1, rs.size() - 1)).map(Incremental::new);
  }

  /** The difference sequences between the opening and closing SOA; empty when malformed. */
  private static Optional<List<ZoneDiff>> differences(Name zone, SOARecord from, SOARecord newest, List<Record> body) {
    List<ZoneDiff> diffs = new ArrayList<>();
    int i = 0;
    long expect = from.getSerial();
    while (i < body.size()) {
      if (!(body.get(i) instanceof SOARecord old) || !old.getName().equals(zone) || old.getSerial() != expect) {
        return Optional.empty();
      }
      List<Record> removed = new ArrayList<>();
      for (i++; i < body.size() && !isSoa(body.get(i), zone); i++) {
        removed.add(body.get(i));
      }
      if (i == body.size()) {
        return Optional.empty();
      }
      SOARecord to = (SOARecord) body.get(i);
      List<Record> added = new ArrayList<>();
      for (i++; i < body.size() && !isSoa(body.get(i), zone); i++) {
        added.add(body.get(i));
      }
      diffs.add(new ZoneDiff(zone, old, to, removed, added));
      expect = to.getSerial();
    }
    if (diffs.isEmpty() || expect != newest.getSerial()) {
      return Optional.empty();
    }
    return Optional.of(diffs);
  }

  private static boolean closes(List<Record> rs, SOARecord newest) {
    return rs.get(rs.size() - 1) instanceof SOARecord last
        && last.getName().equals(newest.getName())
        && last.getSerial() == newest.getSerial();
  }

  private static boolean isSoa(Record r, Name zone) {
    return r instanceof SOARecord && r.getName().equals(zone);
  }
}
