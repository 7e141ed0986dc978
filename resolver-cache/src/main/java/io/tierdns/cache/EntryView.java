package io.tierdns.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An admin's view of one cache entry.
 *
 * @param name owner name of the question, lower case
 * @param type question type mnemonic, for instance {@code A}
 * @param kind {@code POSITIVE}, {@code NODATA} or {@code NXDOMAIN}
 * @param records the records as they would be served now, in presentation format (answer section,
 *     then the SOA of a negative answer)
 * @param originalTtl the entry's TTL when stored, after clamping
 * @param remainingTtl remaining TTL in seconds; 0 when stale
 * @param stale whether the TTL has run out (served only under RFC 8767 rules)
 * @param storedAt wall-clock time it was stored
 * @param age time since it was stored
 * @param weightBytes estimated memory
 */
public record EntryView(
    String name,
    String type,
    String kind,
    List<String> records,
    long originalTtl,
    long remainingTtl,
    boolean stale,
    Instant storedAt,
    Duration age,
    int weightBytes) {

  public EntryView {
    records = List.copyOf(records);
  }
}
