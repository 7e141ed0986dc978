package io.tierdns.cache;

import io.tierdns.wire.RecordTtl;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Record helpers dnsjava does not offer publicly. */
final class Records {

  /** Fixed per-record cost of the Java objects behind a record, for the byte weigher. */
  static final int RECORD_OVERHEAD = 64;

  private Records() {}

  /** The same record with another TTL ({@link RecordTtl#withTtl}). */
  static Record withTtl(Record record, long ttl) {
    return RecordTtl.withTtl(record, ttl);
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
