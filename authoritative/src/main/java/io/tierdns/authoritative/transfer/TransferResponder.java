package io.tierdns.authoritative.transfer;

import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.edit.ZoneHistory;
import io.tierdns.wire.Responses;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Builds the messages of AXFR (RFC 5936) and IXFR (RFC 1995) answers from a zone snapshot and the
 * journal. Pure: no sockets, no ACL or TSIG (the handler checks those and the wire layer signs).
 *
 * <p>Design note. Many records go in each message (RFC 5936 §2.2), cut when the next record
 * would take the message's uncompressed size past the budget, {@value #DEFAULT_MESSAGE_BUDGET}
 * bytes by default. Counting uncompressed sizes makes the bound safe whatever compression
 * achieves. The wire layer renders the messages in linear time (its {@code StreamRenderer}), so
 * the budget only trades the per-message overhead (header, question, TSIG about 100 bytes) and
 * the client's per-message work against the room left for OPT and TSIG; 16 KiB gives a message
 * count near Knot DNS's. The messages of a TCP answer are cut and built as the wire layer takes
 * them ({@link #split}). Every message repeats the question and sets AA (as Knot DNS does); the
 * wire layer adds the OPT to the first message only.
 *
 * <p>AXFR: SOA, every other record in canonical order, SOA (§2.2). IXFR: one SOA when the client
 * is current; otherwise our SOA, the client's SOA, the removed records, our SOA, the added ones,
 * our SOA (one condensed difference, RFC 1995 §4 and §5); or the zone in AXFR form when the
 * journal cannot serve the client ({@link IxfrPlan}). Over UDP an IXFR answer that does not fit
 * in one message becomes our SOA alone (RFC 1995 §2), which tells the client to retry over TCP.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5936#section-2.2">RFC 5936 §2.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1995#section-4">RFC 1995 §4</a>
 */
public final class TransferResponder {

  /** Uncompressed bytes per message, by default. */
  public static final int DEFAULT_MESSAGE_BUDGET = 16 * 1024;

  /** The smallest record: the root as owner (1), type, class, TTL, rdlength (10), no RDATA. */
  private static final int MIN_RECORD_LENGTH = 11;

  /** Header (12) plus the question's fixed part; the name is added per query. */
  private static final int FIXED_OVERHEAD = 12 + 4;

  /** Room kept for the OPT (11) and a TSIG record (at most ~120 with long names). */
  private static final int TRAILER_RESERVE = 256;

  private final ZoneHistory history;
  private final int budget;

  /**
   * @param history the journal, or {@code null} to answer every IXFR that is not current with the
   *     whole zone
   * @param messageBudget uncompressed bytes per message, 512 .. 65535 minus room for OPT and TSIG
   */
  public TransferResponder(ZoneHistory history, int messageBudget) {
    if (messageBudget < 512 || messageBudget > 65535 - TRAILER_RESERVE) {
      throw new IllegalArgumentException(
          "message budget must be within 512 .. " + (65535 - TRAILER_RESERVE) + ", got " + messageBudget);
    }
    this.history = history;
    this.budget = messageBudget;
  }

  public TransferResponder(ZoneHistory history) {
    this(history, DEFAULT_MESSAGE_BUDGET);
  }

  /** The messages of an AXFR answer for {@code zone}. */
  public List<Message> axfr(Message query, ZoneSnapshot zone) {
    return split(query, axfrRecords(zone), budget);
  }

  /** The messages of a transfer answer of {@code records} over TCP, built as they are taken. */
  public List<Message> messages(Message query, List<Record> records) {
    return split(query, records, budget);
  }

  /** The IXFR decision for a client at {@code clientSerial} (see {@link IxfrPlan#decide}). */
  public IxfrPlan plan(ZoneSnapshot zone, long clientSerial) {
    Optional<List<ZoneDiff>> diffs =
        history == null || clientSerial == zone.serial()
            ? null
            : history.diffsSince(zone.origin(), clientSerial);
    return IxfrPlan.decide(clientSerial, zone.serial(), zone.size(), diffs);
  }

  /** The records of the IXFR answer for a plan, in order. */
  public static List<Record> ixfrRecords(ZoneSnapshot zone, IxfrPlan plan) {
    SOARecord soa = zone.soa();
    if (plan instanceof IxfrPlan.UpToDate) {
      return List.of(soa);
    }
    if (plan instanceof IxfrPlan.Incremental inc) {
      ZoneDiff d = inc.diff();
      List<Record> out = new ArrayList<>(d.removed().size() + d.added().size() + 4);
      out.add(soa);
      out.add(d.fromSoa());
      out.addAll(d.removed());
      out.add(d.toSoa());
      out.addAll(d.added());
      out.add(soa);
      return out;
    }
    return axfrRecords(zone);
  }

  /** The messages of an IXFR answer over TCP. */
  public List<Message> ixfr(Message query, ZoneSnapshot zone, IxfrPlan plan) {
    return split(query, ixfrRecords(zone, plan), budget);
  }

  /**
   * The IXFR answer over UDP: the planned answer when it fits in one message of {@code sizeLimit}
   * bytes, else our SOA alone (RFC 1995 §2).
   */
  public Message ixfrUdp(Message query, ZoneSnapshot zone, IxfrPlan plan, int sizeLimit) {
    int budget = sizeLimit - TRAILER_RESERVE;
    // A whole zone of more records than the smallest record fits into the budget cannot fit:
    // answered without copying the zone (a secondary asks this of a million-record zone first).
    if (plan instanceof IxfrPlan.FullZone && (long) zone.size() * MIN_RECORD_LENGTH > budget) {
      return soaAlone(query, zone);
    }
    List<Record> records = ixfrRecords(zone, plan);
    if (records.size() > 1 && !fits(query, records, budget)) {
      return soaAlone(query, zone);
    }
    return split(query, records, budget).get(0);
  }

  /** Our SOA alone: "use TCP" to a client that is not current (RFC 1995 §2). */
  private static Message soaAlone(Message query, ZoneSnapshot zone) {
    return split(query, List.of(zone.soa()), Integer.MAX_VALUE).get(0);
  }

  /** Whether {@code records} fit in one message of {@code budget} uncompressed bytes. */
  private static boolean fits(Message query, List<Record> records, int budget) {
    int size = FIXED_OVERHEAD + query.getQuestion().getName().length();
    for (Record r : records) {
      size += wireLength(r);
      if (size > budget) {
        return false;
      }
    }
    return true;
  }

  /**
   * The records of an AXFR answer for {@code zone}: SOA, every record but the SOA, SOA. A view of
   * the zone's records, not a copy of a million references.
   */
  public static List<Record> axfrRecords(ZoneSnapshot zone) {
    List<Record> records = zone.records();
    SOARecord soa = zone.soa();
    int at = 0;
    while (records.get(at) != soa) { // canonical order: the SOA is among the apex's first records
      at++;
    }
    int soaIndex = at;
    return new AbstractRandomAccessList<>() {
      @Override
      public Record get(int i) {
        Objects.checkIndex(i, size());
        if (i == 0 || i == records.size()) {
          return soa;
        }
        return records.get(i - 1 < soaIndex ? i - 1 : i);
      }

      @Override
      public int size() {
        return records.size() + 1;
      }
    };
  }

  /**
   * Cuts {@code records} into messages of at most {@code budget} uncompressed bytes each (a record
   * larger than the budget gets a message of its own). Nothing is cut or built here: each message
   * is built when it is asked for, and the cuts are found as the messages are taken in order, so
   * a million-record AXFR reads each record while it is in the processor's cache, and its
   * messages live one at a time while the wire layer renders them (built all at once, they
   * outlived young collections, which then copied them: hundreds of milliseconds of pauses per
   * transfer). {@link List#size()} finds every cut at once; the wire layer iterates instead.
   * {@code records} must support fast random access and not change.
   */
  static List<Message> split(Message query, List<Record> records, int budget) {
    return new Split(query, records, budget);
  }

  /** The messages of an answer, cut and built on demand (see {@link #split}). */
  private static final class Split extends AbstractRandomAccessList<Message> {
    private final Message query;
    private final List<Record> records;
    private final int budget;
    private final int overhead;
    /** Message m holds records cuts[m] .. cuts[m + 1] - 1, for m below {@code known}. */
    private int[] cuts = new int[16];
    private int known;
    private boolean complete;

    Split(Message query, List<Record> records, int budget) {
      this.query = query;
      this.records = records;
      this.budget = budget;
      this.overhead = FIXED_OVERHEAD + query.getQuestion().getName().length();
    }

    /** Finds where message {@code known} ends; false when every message is known. */
    private boolean advance() {
      if (complete) {
        return false;
      }
      int i = cuts[known];
      int size = overhead;
      int in = 0;
      for (; i < records.size(); i++, in++) {
        int length = wireLength(records.get(i));
        if (size + length > budget && in > 0) {
          break;
        }
        size += length;
      }
      if (known + 2 > cuts.length) {
        cuts = Arrays.copyOf(cuts, cuts.length * 2);
      }
      cuts[++known] = i;
      complete = i == records.size(); // an empty answer is one empty message
      return true;
    }

    @Override
    public Message get(int m) {
      while (m >= known && advance()) {
        // finding the cuts up to message m
      }
      Objects.checkIndex(m, known);
      Message message = start(query);
      for (int i = cuts[m]; i < cuts[m + 1]; i++) {
        message.addRecord(records.get(i), Section.ANSWER);
      }
      return message;
    }

    @Override
    public int size() {
      while (advance()) {
        // every cut
      }
      return known;
    }

    @Override
    public boolean isEmpty() {
      return false;
    }

    @Override
    public Iterator<Message> iterator() {
      return new Iterator<>() {
        private int next;

        @Override
        public boolean hasNext() {
          return next < known || advance();
        }

        @Override
        public Message next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return get(next++);
        }
      };
    }
  }

  /** An unmodifiable list with fast random access. */
  private abstract static class AbstractRandomAccessList<E> extends AbstractList<E>
      implements RandomAccess {}

  /** Uncompressed wire length: owner, type, class, TTL, rdlength, rdata. */
  static int wireLength(Record r) {
    return r.getName().length() + 10 + rdataLength(r);
  }

  /**
   * The RDATA length, uncompressed, without encoding the RDATA for the types whose length can be
   * read off their fields: they make up most of a large zone, and encoding every record only to
   * count its bytes took a sixth of an AXFR's time.
   */
  static int rdataLength(Record r) {
    if (r instanceof ARecord) {
      return 4; // RFC 1035 §3.4.1
    }
    if (r instanceof AAAARecord) {
      return 16; // RFC 3596 §2.2
    }
    if (r instanceof NSRecord ns) {
      return ns.getTarget().length();
    }
    if (r instanceof CNAMERecord cname) {
      return cname.getTarget().length();
    }
    if (r instanceof MXRecord mx) {
      return 2 + mx.getTarget().length();
    }
    if (r instanceof TXTRecord txt) {
      int length = 0;
      for (byte[] s : txt.getStringsAsByteArrays()) {
        length += 1 + s.length; // RFC 1035 §3.3: a length octet, then the string
      }
      return length;
    }
    return r.rdataToWireCanonical().length;
  }

  private static Message start(Message query) {
    Message m = Responses.reply(query);
    m.getHeader().setFlag(Flags.AA);
    return m;
  }
}
