package io.tierdns.zonesync;

import java.time.Duration;
import org.xbill.DNS.SOARecord;

/**
 * The secondary's timers from a zone's SOA (RFC 1035 §3.3.13, RFC 1996 §2): REFRESH, RETRY and
 * EXPIRE, each clamped to the configured {@link SecondaryZoneConfig.Bounds}, the first two
 * shortened by jitter. Pure: the random number comes in as an argument.
 *
 * <p>An EDNS EXPIRE value received from the primary (RFC 7314 §4) replaces the SOA EXPIRE when it
 * is lower: a chained secondary then expires no later than its source would.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1035#section-3.3.13">RFC 1035 §3.3.13</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7314#section-4">RFC 7314 §4</a>
 */
public final class SoaTimers {

  /** The RETRY used while no version of the zone was ever loaded (no SOA to read it from). */
  public static final Duration INITIAL_RETRY = Duration.ofSeconds(10);

  private SoaTimers() {}

  /** The delay until the next REFRESH: SOA REFRESH, clamped, jittered. */
  public static Duration refresh(SOARecord soa, SecondaryZoneConfig config, double random) {
    return jitter(config.refresh(), Duration.ofSeconds(soa.getRefresh()), config.jitter(), random);
  }

  /** The delay until the next RETRY: SOA RETRY (or {@link #INITIAL_RETRY}), clamped, jittered. */
  public static Duration retry(SOARecord soa, SecondaryZoneConfig config, double random) {
    Duration raw = soa == null ? INITIAL_RETRY : Duration.ofSeconds(soa.getRetry());
    return jitter(config.retry(), raw, config.jitter(), random);
  }

  /**
   * How long the zone stays authoritative without a successful refresh.
   *
   * @param ednsExpire the EDNS EXPIRE value the primary answered with, in seconds, or a negative
   *     number when it sent none
   */
  public static Duration expire(SOARecord soa, long ednsExpire, SecondaryZoneConfig config) {
    long seconds = soa.getExpire();
    if (ednsExpire >= 0 && ednsExpire < seconds) {
      seconds = ednsExpire;
    }
    return config.expire().clamp(Duration.ofSeconds(seconds));
  }

  /**
   * {@code raw} clamped, then shortened by up to {@code jitter} of itself, never below the
   * minimum.
   *
   * @param random uniform in [0, 1)
   */
  static Duration jitter(SecondaryZoneConfig.Bounds bounds, Duration raw, double jitter, double random) {
    Duration clamped = bounds.clamp(raw);
    long millis = clamped.toMillis();
    long cut = (long) (millis * jitter * Math.max(0, Math.min(random, 1)));
    return bounds.clamp(Duration.ofMillis(millis - cut));
  }
}
