package io.tierdns.authoritative.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SerialPolicyTest {

  private static final long HALF = 1L << 31;
  private static final long MAX = 0xFFFF_FFFFL;
  private static final Instant MAY_6 = Instant.parse("2024-05-06T12:00:00Z");

  @Test
  void incrementAddsOneAndWrapsFromTheLargestSerialToZero() {
    assertThat(SerialPolicy.INCREMENT.next(41, MAY_6)).isEqualTo(42);
    assertThat(SerialPolicy.INCREMENT.next(MAX, MAY_6)).isZero();
  }

  @Test
  void unixtimeTakesTheClocksSeconds() {
    assertThat(SerialPolicy.UNIXTIME.next(1, MAY_6)).isEqualTo(MAY_6.getEpochSecond());
  }

  @Test
  void unixtimeIncrementsWhenTheClockIsNotAhead() {
    long now = MAY_6.getEpochSecond();
    assertThat(SerialPolicy.UNIXTIME.next(now, MAY_6)).isEqualTo(now + 1);
    assertThat(SerialPolicy.UNIXTIME.next(now + 10, MAY_6)).isEqualTo(now + 11);
  }

  @Test
  void dateserialStartsTheDayAtZeroZeroInUtc() {
    assertThat(SerialPolicy.DATESERIAL.next(2024010101, MAY_6)).isEqualTo(2024050600L);
    assertThat(SerialPolicy.DATESERIAL.next(7, Instant.parse("2024-05-06T23:59:59Z"))).isEqualTo(2024050600L);
  }

  @Test
  void dateserialCountsWithinTheDay() {
    assertThat(SerialPolicy.DATESERIAL.next(2024050600L, MAY_6)).isEqualTo(2024050601L);
  }

  @Test
  void dateserialContinuesPastNinetyNineAndCatchesUpWithTheDate() {
    assertThat(SerialPolicy.DATESERIAL.next(2024050699L, MAY_6)).isEqualTo(2024050700L);
    Instant may7 = Instant.parse("2024-05-07T00:00:01Z");
    assertThat(SerialPolicy.DATESERIAL.next(2024050700L, may7)).isEqualTo(2024050701L);
    Instant may8 = Instant.parse("2024-05-08T00:00:01Z");
    assertThat(SerialPolicy.DATESERIAL.next(2024050701L, may8)).isEqualTo(2024050800L);
  }

  @Test
  void everyPolicyGivesANewerSerialAtTheMidpointAndAtWrapAround() {
    long[] currents = {0, 1, HALF - 1, HALF, HALF + 1, MAX - 1, MAX, MAY_6.getEpochSecond(), 2024050600L, 4_000_000_000L};
    for (SerialPolicy p : SerialPolicy.values()) {
      for (long c : currents) {
        long next = p.next(c, MAY_6);
        assertThat(Serial.isNewer(next, c)).as("%s after %d gave %d", p, c, next).isTrue();
      }
    }
  }

  @Test
  void policiesParseFromConfigurationNames() {
    assertThat(SerialPolicy.parse("dateserial")).isEqualTo(SerialPolicy.DATESERIAL);
    assertThat(SerialPolicy.parse(" Unixtime ")).isEqualTo(SerialPolicy.UNIXTIME);
    assertThatThrownBy(() -> SerialPolicy.parse("random")).hasMessageContaining("increment, unixtime, dateserial");
  }
}
