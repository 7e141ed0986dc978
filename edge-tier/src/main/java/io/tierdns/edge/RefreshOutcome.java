package io.tierdns.edge;

/**
 * What one refresh of a subscribed zone did.
 *
 * @param result {@code baseline} (first SOA, zone flushed once), {@code uptodate}, {@code
 *     incremental}, {@code full} (the upstream sent the whole zone: zone flushed) or {@code
 *     failed} (SOA or IXFR failed: zone flushed, since a change was announced but is unknown)
 * @param fromSerial the serial before, or -1 when none was known
 * @param toSerial the serial after, or -1 when none is known
 * @param evictions what was removed from the cache
 */
public record RefreshOutcome(String result, long fromSerial, long toSerial, Evictions evictions) {

  public static final String BASELINE = "baseline";
  public static final String UP_TO_DATE = "uptodate";
  public static final String INCREMENTAL = "incremental";
  public static final String FULL = "full";
  public static final String FAILED = "failed";
}
