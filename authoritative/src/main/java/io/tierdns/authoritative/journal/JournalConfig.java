package io.tierdns.authoritative.journal;

/**
 * When a journal is compacted and how much IXFR history survives compaction.
 *
 * @param maxBytes compact once the file is larger than this, or than twice its size right after
 *     the last compaction, whichever is larger (so a zone bigger than the limit is not compacted
 *     on every change); default 16 MiB
 * @param maxDiffs compact once this many diffs follow the last snapshot entry; default 1000
 * @param maxAge compact at the first commit this long after the last compaction (or the start),
 *     so the zone file on disk is never older than that plus the time to the next change; default
 *     15 minutes
 * @param keepDiffs diffs kept before the new snapshot entry to serve IXFR; default 100, fewer
 *     when they would take more than half of {@code maxBytes}
 */
public record JournalConfig(long maxBytes, int maxDiffs, int keepDiffs, java.time.Duration maxAge) {

  public static final long DEFAULT_MAX_BYTES = 16L << 20;
  public static final int DEFAULT_MAX_DIFFS = 1000;
  public static final int DEFAULT_KEEP_DIFFS = 100;
  /** As BIND dumps a changed zone 15 minutes after the change. */
  public static final java.time.Duration DEFAULT_MAX_AGE = java.time.Duration.ofMinutes(15);

  /** Size and count limits with the default age limit. */
  public JournalConfig(long maxBytes, int maxDiffs, int keepDiffs) {
    this(maxBytes, maxDiffs, keepDiffs, DEFAULT_MAX_AGE);
  }

  public JournalConfig {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("journal maxBytes must be positive: " + maxBytes);
    }
    if (maxDiffs < 1) {
      throw new IllegalArgumentException("journal maxDiffs must be positive: " + maxDiffs);
    }
    if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("journal maxAge must be positive: " + maxAge);
    }
    if (keepDiffs < 0) {
      throw new IllegalArgumentException("journal keepDiffs must not be negative: " + keepDiffs);
    }
  }

  /** 16 MiB, 1000 diffs, 100 kept, 15 minutes. */
  public static JournalConfig defaults() {
    return new JournalConfig(DEFAULT_MAX_BYTES, DEFAULT_MAX_DIFFS, DEFAULT_KEEP_DIFFS);
  }
}
