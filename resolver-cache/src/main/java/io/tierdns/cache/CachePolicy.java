package io.tierdns.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * The cache's knobs, named after the BIND 9 / Unbound options operators know.
 *
 * <table>
 *   <caption>Knobs and defaults</caption>
 *   <tr><th>component</th><th>default</th><th>BIND</th><th>Unbound</th></tr>
 *   <tr><td>minTtl</td><td>0 s</td><td>min-cache-ttl</td><td>cache-min-ttl</td></tr>
 *   <tr><td>maxTtl</td><td>1 d</td><td>max-cache-ttl</td><td>cache-max-ttl</td></tr>
 *   <tr><td>negativeMaxTtl</td><td>1 h</td><td>max-ncache-ttl</td><td>cache-max-negative-ttl</td></tr>
 *   <tr><td>serveStale</td><td>on</td><td>stale-answer-enable</td><td>serve-expired</td></tr>
 *   <tr><td>staleAnswerTtl</td><td>30 s</td><td>stale-answer-ttl</td><td>serve-expired-reply-ttl</td></tr>
 *   <tr><td>maxStale</td><td>1 d</td><td>max-stale-ttl</td><td>serve-expired-ttl</td></tr>
 *   <tr><td>clientTimeout</td><td>1.8 s</td><td>stale-answer-client-timeout</td><td>serve-expired-client-timeout</td></tr>
 *   <tr><td>staleRefreshTime</td><td>30 s</td><td>stale-refresh-time</td><td>-</td></tr>
 *   <tr><td>servfailTtl</td><td>1 s</td><td>servfail-ttl</td><td>-</td></tr>
 *   <tr><td>prefetchFraction</td><td>0.1</td><td>prefetch (trigger)</td><td>prefetch</td></tr>
 *   <tr><td>prefetchEligibility</td><td>9 s</td><td>prefetch (eligibility)</td><td>-</td></tr>
 *   <tr><td>maxSizeBytes</td><td>64 MiB</td><td>max-cache-size</td><td>msg/rrset-cache-size</td></tr>
 * </table>
 *
 * <p>TTL knobs are read in whole seconds (DNS TTLs are seconds); timers keep their full precision.
 *
 * @param minTtl lower clamp for positive TTLs; a TTL-0 answer is cached only when this is above 0
 * @param maxTtl upper clamp for positive TTLs
 * @param negativeMaxTtl upper clamp for NXDOMAIN/NODATA TTLs, which come from the SOA (RFC 2308 §5)
 * @param serveStale whether expired data may be served when upstreams fail (RFC 8767)
 * @param staleAnswerTtl TTL put on stale records (RFC 8767 §4 recommends 30 s)
 * @param maxStale how long past its TTL an entry may still be served stale (RFC 8767 §5)
 * @param clientTimeout the client-response timer: a query with stale data available gets the stale
 *     answer when no fresh one arrived within this time (RFC 8767 §5 suggests 1.8 s); zero answers
 *     stale at once and refreshes in the background
 * @param staleRefreshTime after a failed refresh of a name, stale data for it is served at once,
 *     without asking upstream, for this long, so a dead upstream is not hammered
 * @param servfailTtl how long a resolution failure is remembered for a name without stale data;
 *     meanwhile queries get SERVFAIL without an upstream query (RFC 9520 §3.2); zero disables
 * @param prefetchFraction a hit in the last such fraction of an entry's TTL refreshes it in the
 *     background; zero disables prefetch
 * @param prefetchEligibility only entries whose original TTL is at least this are prefetched
 * @param maxSizeBytes bound on the estimated memory of all entries
 */
public record CachePolicy(
    Duration minTtl,
    Duration maxTtl,
    Duration negativeMaxTtl,
    boolean serveStale,
    Duration staleAnswerTtl,
    Duration maxStale,
    Duration clientTimeout,
    Duration staleRefreshTime,
    Duration servfailTtl,
    double prefetchFraction,
    Duration prefetchEligibility,
    long maxSizeBytes) {

  /** Largest TTL a record may carry (RFC 2181 §8). */
  public static final long MAX_TTL_SECONDS = 0x7FFF_FFFFL;

  /** RFC 9520 §3.2: resolution failures are cached for at most five minutes. */
  public static final Duration MAX_SERVFAIL_TTL = Duration.ofMinutes(5);

  public CachePolicy {
    requireNonNegative("minTtl", minTtl);
    requireNonNegative("maxTtl", maxTtl);
    requireNonNegative("negativeMaxTtl", negativeMaxTtl);
    requireNonNegative("staleAnswerTtl", staleAnswerTtl);
    requireNonNegative("maxStale", maxStale);
    requireNonNegative("clientTimeout", clientTimeout);
    requireNonNegative("staleRefreshTime", staleRefreshTime);
    requireNonNegative("servfailTtl", servfailTtl);
    requireNonNegative("prefetchEligibility", prefetchEligibility);
    if (maxTtl.getSeconds() > MAX_TTL_SECONDS) {
      throw new IllegalArgumentException(
          "maxTtl must be at most " + MAX_TTL_SECONDS + " s (RFC 2181 §8), got " + maxTtl);
    }
    if (minTtl.compareTo(maxTtl) > 0) {
      throw new IllegalArgumentException(
          "minTtl (" + minTtl + ") must not exceed maxTtl (" + maxTtl + ")");
    }
    if (serveStale && staleAnswerTtl.getSeconds() < 1) {
      throw new IllegalArgumentException(
          "staleAnswerTtl must be at least 1 s when serveStale is on (RFC 8767 §4), got "
              + staleAnswerTtl);
    }
    if (servfailTtl.compareTo(MAX_SERVFAIL_TTL) > 0) {
      throw new IllegalArgumentException(
          "servfailTtl must be at most 5 minutes (RFC 9520 §3.2), got " + servfailTtl);
    }
    if (!(prefetchFraction >= 0.0 && prefetchFraction < 1.0)) {
      throw new IllegalArgumentException(
          "prefetchFraction must be in [0, 1), got " + prefetchFraction);
    }
    if (maxSizeBytes < 1) {
      throw new IllegalArgumentException("maxSizeBytes must be positive, got " + maxSizeBytes);
    }
  }

  private static void requireNonNegative(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + value);
    }
  }

  /** The defaults in the table above. */
  public static CachePolicy defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy. */
  public Builder toBuilder() {
    return new Builder()
        .minTtl(minTtl)
        .maxTtl(maxTtl)
        .negativeMaxTtl(negativeMaxTtl)
        .serveStale(serveStale)
        .staleAnswerTtl(staleAnswerTtl)
        .maxStale(maxStale)
        .clientTimeout(clientTimeout)
        .staleRefreshTime(staleRefreshTime)
        .servfailTtl(servfailTtl)
        .prefetchFraction(prefetchFraction)
        .prefetchEligibility(prefetchEligibility)
        .maxSizeBytes(maxSizeBytes);
  }

  /** The window after the TTL in which an entry is kept: {@link #maxStale} or zero. */
  public Duration staleWindow() {
    return serveStale ? maxStale : Duration.ZERO;
  }

  /** Builds a {@link CachePolicy}; unset knobs keep their defaults. */
  public static final class Builder {
    private Duration minTtl = Duration.ZERO;
    private Duration maxTtl = Duration.ofDays(1);
    private Duration negativeMaxTtl = Duration.ofHours(1);
    private boolean serveStale = true;
    private Duration staleAnswerTtl = Duration.ofSeconds(30);
    private Duration maxStale = Duration.ofDays(1);
    private Duration clientTimeout = Duration.ofMillis(1800);
    private Duration staleRefreshTime = Duration.ofSeconds(30);
    private Duration servfailTtl = Duration.ofSeconds(1);
    private double prefetchFraction = 0.1;
    private Duration prefetchEligibility = Duration.ofSeconds(9);
    private long maxSizeBytes = 64L * 1024 * 1024;

    private Builder() {}

    public Builder minTtl(Duration v) { minTtl = v; return this; }

    public Builder maxTtl(Duration v) { maxTtl = v; return this; }

    public Builder negativeMaxTtl(Duration v) { negativeMaxTtl = v; return this; }

    public Builder serveStale(boolean v) { serveStale = v; return this; }

    public Builder staleAnswerTtl(Duration v) { staleAnswerTtl = v; return this; }

    public Builder maxStale(Duration v) { maxStale = v; return this; }

    public Builder clientTimeout(Duration v) { clientTimeout = v; return this; }

    public Builder staleRefreshTime(Duration v) { staleRefreshTime = v; return this; }

    public Builder servfailTtl(Duration v) { servfailTtl = v; return this; }

    public Builder prefetchFraction(double v) { prefetchFraction = v; return this; }

    public Builder prefetchEligibility(Duration v) { prefetchEligibility = v; return this; }

    public Builder maxSizeBytes(long v) { maxSizeBytes = v; return this; }

    public CachePolicy build() {
      return new CachePolicy(
          minTtl, maxTtl, negativeMaxTtl, serveStale, staleAnswerTtl, maxStale, clientTimeout,
          staleRefreshTime, servfailTtl, prefetchFraction, prefetchEligibility, maxSizeBytes);
    }
  }
}
