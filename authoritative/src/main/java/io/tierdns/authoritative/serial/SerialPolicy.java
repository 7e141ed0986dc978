package io.tierdns.authoritative.serial;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * How the primary numbers a new zone version. Whatever the policy, the next serial is always RFC
 * 1982 greater than the current one: when the policy's candidate is not (the clock went back, two
 * changes within one second, more than 100 changes in a day, a serial set ahead by hand) the
 * serial is simply incremented, as BIND's {@code serial-update-method} and Knot's {@code
 * serial-policy} do. A date serial therefore continues past {@code nn = 99} into the next day's
 * numbers and the policy catches up once the date does.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1982#section-3">RFC 1982 §3</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1912#section-2.2">RFC 1912 §2.2 (YYYYMMDDnn)</a>
 */
public enum SerialPolicy {

  /** current + 1. */
  INCREMENT {
    @Override
    long candidate(long current, Instant now) {
      return Serial.add(current, 1);
    }
  },

  /** Seconds since the Unix epoch, modulo 2^32. */
  UNIXTIME {
    @Override
    long candidate(long current, Instant now) {
      return now.getEpochSecond() & Serial.MAX;
    }
  },

  /** {@code YYYYMMDDnn} in UTC, starting each day at {@code nn = 00}. */
  DATESERIAL {
    @Override
    long candidate(long current, Instant now) {
      LocalDate d = now.atOffset(ZoneOffset.UTC).toLocalDate();
      long date = d.getYear() * 10_000L + d.getMonthValue() * 100L + d.getDayOfMonth();
      return (date * 100) & Serial.MAX;
    }
  };

  abstract long candidate(long current, Instant now);

  /**
   * The serial of the version after one with serial {@code current}.
   *
   * @param now the commit time, from the injected clock
   * @return a serial RFC 1982 greater than {@code current}
   */
  public long next(long current, Instant now) {
    long c = candidate(current, now);
    return Serial.isNewer(c, current) ? c : Serial.add(current, 1);
  }

  /** Parses a configuration value: {@code increment}, {@code unixtime} or {@code dateserial}. */
  public static SerialPolicy parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown serial policy '" + value + "' (increment, unixtime, dateserial)", e);
    }
  }
}
