package io.tierdns.node.report;

import java.util.Locale;

/** Which nodes a write waits for ({@code ?wait=secondaries} or {@code ?wait=all}). */
public enum WaitScope {
  /** Every secondary answers SOA with the new serial. */
  SECONDARIES,
  /** Every secondary and every cache: no node can serve the old RRsets any more. */
  ALL;

  /** Parses {@code secondaries} or {@code all}; throws IllegalArgumentException otherwise. */
  public static WaitScope parse(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "secondaries" -> SECONDARIES;
      case "all" -> ALL;
      default -> throw new IllegalArgumentException("wait must be 'secondaries' or 'all', not '" + value + "'");
    };
  }
}
