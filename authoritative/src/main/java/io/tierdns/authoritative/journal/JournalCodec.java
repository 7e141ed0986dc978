package io.tierdns.authoritative.journal;

import io.tierdns.authoritative.ZoneRecords;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.ZoneDiff;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.WireParseException;

/**
 * The on-disk format of a journal (docs/journal.md). A file is an 8-byte magic followed by frames
 * {@code [u32 length][u32 CRC32C of payload][payload]}, big-endian. A payload is one type byte and
 * the entry; records are {@code [u32 length][record in DNS wire format]} (RFC 1035 §4.1.3,
 * uncompressed, as in an answer section).
 */
final class JournalCodec {

  static final byte[] MAGIC = {'T', 'D', 'N', 'S', 'J', 'R', 'N', '1'};
  static final int FRAME_HEADER = 8;
  /** Larger declared lengths are taken as garbage (a torn or corrupt frame header). */
  static final int MAX_PAYLOAD = 1 << 30;

  static final int SNAPSHOT = 1;
  static final int DIFF = 2;
  static final int FLUSH = 3;

  private JournalCodec() {}

  /** Receives an entry's payload in pieces, in order. */
  interface Sink {
    void write(byte[] piece) throws IOException;
  }

  /**
   * Encodes a snapshot entry's payload into {@code sink} in pieces of about {@code piece} bytes, so
   * that a large zone is never one array (a million records take about 50 MB).
   *
   * @return the payload's length
   * @throws IOException from the sink, or when the payload would exceed {@link #MAX_PAYLOAD}
   */
  static long writeSnapshot(ZoneSnapshot zone, int piece, Sink sink) throws IOException {
    DNSOutput out = new DNSOutput(piece + 1024);
    out.writeU8(SNAPSHOT);
    out.writeU32(zone.size());
    long length = 0;
    for (Record r : zone.records()) {
      writeRecord(out, r);
      if (out.current() >= piece) {
        length = emit(out, length, sink);
      }
    }
    return emit(out, length, sink);
  }

  private static long emit(DNSOutput out, long length, Sink sink) throws IOException {
    long total = length + out.current();
    if (total > MAX_PAYLOAD) {
      throw new IOException("a snapshot entry would exceed " + MAX_PAYLOAD + " bytes");
    }
    if (out.current() > 0) {
      sink.write(out.toByteArray());
      out.jump(0);
    }
    return total;
  }

  static byte[] diff(ZoneDiff diff) {
    DNSOutput out = new DNSOutput();
    out.writeU8(DIFF);
    writeRecord(out, diff.fromSoa());
    writeRecord(out, diff.toSoa());
    writeRecords(out, diff.removed());
    writeRecords(out, diff.added());
    return out.toByteArray();
  }

  static byte[] flush(FlushMark mark) {
    DNSOutput out = new DNSOutput();
    out.writeU8(FLUSH);
    out.writeU32(mark.serial());
    byte[] hash = HexFormat.of().parseHex(mark.sha256());
    out.writeU16(hash.length);
    out.writeByteArray(hash);
    return out.toByteArray();
  }

  /** The header of a payload's frame: length, CRC32C; the payload follows it. */
  static ByteBuffer frameHeader(long length, long crc) {
    ByteBuffer b = ByteBuffer.allocate(FRAME_HEADER).order(ByteOrder.BIG_ENDIAN);
    b.putInt((int) length);
    b.putInt((int) crc);
    return b.flip();
  }

  /** The frame around a payload: length, CRC32C, payload. */
  static ByteBuffer frame(byte[] payload) {
    return ByteBuffer.allocate(FRAME_HEADER + payload.length)
        .put(frameHeader(payload.length, crc(payload)))
        .put(payload)
        .flip();
  }

  static long crc(byte[] payload) {
    CRC32C c = new CRC32C();
    c.update(payload);
    return c.getValue();
  }

  /**
   * Decodes a payload whose CRC matched.
   *
   * @throws IOException when it is not a valid entry
   */
  static JournalEntry decode(byte[] payload, Name zone) throws IOException {
    DNSInput in = new DNSInput(payload);
    int type = in.readU8();
    JournalEntry entry;
    switch (type) {
      case SNAPSHOT -> entry = new JournalEntry.Snapshot(readRecords(in));
      case DIFF -> {
        Record from = readRecord(in);
        Record to = readRecord(in);
        if (!(from instanceof SOARecord f) || !(to instanceof SOARecord t)) {
          throw new WireParseException("diff entry does not start with two SOA records");
        }
        entry = new JournalEntry.Diff(new ZoneDiff(zone, f, t, readRecords(in), readRecords(in)));
      }
      case FLUSH -> {
        long serial = in.readU32();
        byte[] hash = in.readByteArray(in.readU16());
        entry = new JournalEntry.Flush(new FlushMark(serial, HexFormat.of().formatHex(hash)));
      }
      default -> throw new WireParseException("unknown journal entry type " + type);
    }
    if (in.remaining() != 0) {
      throw new WireParseException(in.remaining() + " bytes after a journal entry of type " + type);
    }
    return entry;
  }

  private static void writeRecords(DNSOutput out, List<Record> records) {
    out.writeU32(records.size());
    for (Record r : records) {
      writeRecord(out, r);
    }
  }

  private static void writeRecord(DNSOutput out, Record r) {
    byte[] wire = r.toWire(Section.ANSWER);
    out.writeU32(wire.length);
    out.writeByteArray(wire);
  }

  private static List<Record> readRecords(DNSInput in) throws IOException {
    long n = in.readU32();
    if (n > in.remaining()) {
      throw new WireParseException("record count " + n + " exceeds the entry");
    }
    List<Record> records = new ArrayList<>((int) n);
    Record previous = null;
    for (long i = 0; i < n; i++) {
      previous = ZoneRecords.sharingOwner(readRecord(in), previous);
      records.add(previous);
    }
    return records;
  }

  private static Record readRecord(DNSInput in) throws IOException {
    long len = in.readU32();
    if (len > in.remaining()) {
      throw new WireParseException("record length " + len + " exceeds the entry");
    }
    return Record.fromWire(in.readByteArray((int) len), Section.ANSWER);
  }
}
