package io.tierdns.authoritative.store;

import io.tierdns.authoritative.journal.JournalConfig;
import io.tierdns.authoritative.serial.SerialPolicy;

/**
 * One zone's write-path settings.
 *
 * @param serialPolicy how new serials are chosen; default {@link SerialPolicy#INCREMENT}
 * @param journal compaction limits; default {@link JournalConfig#defaults()}
 */
public record ZoneStoreConfig(SerialPolicy serialPolicy, JournalConfig journal) {

  public ZoneStoreConfig {
    if (serialPolicy == null || journal == null) {
      throw new IllegalArgumentException("serial policy and journal settings are required");
    }
  }

  /** Increment, 16 MiB / 1000 diffs, 100 diffs kept. */
  public static ZoneStoreConfig defaults() {
    return new ZoneStoreConfig(SerialPolicy.INCREMENT, JournalConfig.defaults());
  }
}
