package io.tierdns.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Record helpers dnsjava does not offer publicly. */
final class Records {

  /** Fixed per-record cost of the Java objects behind a record, for the byte weigher. */
  static final int RECORD_OVERHEAD = 64;

  private Records() {}

  /**
   * The same record with another TTL. dnsjava keeps {@code withDClass(int, long)} package-private,
   * so the record goes through its uncompressed wire form, whose TTL sits right after owner name,
   * type and class; unlike a rebuild from canonical rdata this keeps the letter case of names inside
   * the rdata.
   */
  static Record withTtl(Record record, long ttl) {
    if (record.getTTL() == ttl) {
      return record;
    }
    byte[] wire = record.toWire(Section.ANSWER);
    int at = record.getName().length() + 4;
    wire[at] = (byte) (ttl >>> 24);
    wire[at + 1] = (byte) (ttl >>> 16);
    wire[at + 2] = (byte) (ttl >>> 8);
    wire[at + 3] = (byte) ttl;
    try {
      return Record.fromWire(wire, Section.ANSWER);
    } catch (IOException e) { // we rendered it ourselves a moment ago
      throw new UncheckedIOException(e);
    }
  }

  /** Estimated heap bytes of one cached record: its wire size plus object overhead. */
  static int weight(Record record) {
    return record.toWire(Section.ANSWER).length + RECORD_OVERHEAD;
  }

  /** A record's TTL as a cache may use it: values with the top bit set count as 0 (RFC 2181 §8). */
  static long ttl(Record record) {
    long ttl = record.getTTL();
    return ttl > CachePolicy.MAX_TTL_SECONDS ? 0 : ttl;
  }
}
