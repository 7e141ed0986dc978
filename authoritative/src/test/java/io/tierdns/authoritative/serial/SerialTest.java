package io.tierdns.authoritative.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SerialTest {

  private static final long HALF = 1L << 31;
  private static final long MAX = 0xFFFF_FFFFL;

  @Test
  void equalSerialsCompareEqual() {
    assertThat(Serial.compare(0, 0)).isEqualTo(SerialComparison.EQUAL);
    assertThat(Serial.compare(MAX, MAX)).isEqualTo(SerialComparison.EQUAL);
  }

  @Test
  void aSerialLessThanHalfTheSpaceAheadIsGreater() {
    assertThat(Serial.compare(HALF - 1, 0)).isEqualTo(SerialComparison.GREATER);
    assertThat(Serial.compare(0, HALF - 1)).isEqualTo(SerialComparison.LESS);
    assertThat(Serial.compare(2, 1)).isEqualTo(SerialComparison.GREATER);
  }

  @Test
  void serialsExactlyHalfTheSpaceApartAreUndefinedBothWays() {
    assertThat(Serial.compare(0, HALF)).isEqualTo(SerialComparison.UNDEFINED);
    assertThat(Serial.compare(HALF, 0)).isEqualTo(SerialComparison.UNDEFINED);
    assertThat(Serial.compare(MAX, HALF - 1)).isEqualTo(SerialComparison.UNDEFINED);
    assertThat(Serial.isNewer(HALF, 0)).isFalse();
    assertThat(Serial.isNewer(0, HALF)).isFalse();
  }

  @Test
  void oneStepPastTheMidpointTheOrderFlips() {
    assertThat(Serial.compare(HALF + 1, 0)).isEqualTo(SerialComparison.LESS);
    assertThat(Serial.compare(0, HALF + 1)).isEqualTo(SerialComparison.GREATER);
  }

  @Test
  void zeroIsNewerThanTheLargestSerialAfterWrapAround() {
    assertThat(Serial.compare(0, MAX)).isEqualTo(SerialComparison.GREATER);
    assertThat(Serial.compare(MAX, 0)).isEqualTo(SerialComparison.LESS);
    assertThat(Serial.isNewer(5, MAX - 5)).isTrue();
  }

  @Test
  void additionWrapsModuloTwoToThe32() {
    assertThat(Serial.add(MAX, 1)).isZero();
    assertThat(Serial.add(MAX, HALF - 1)).isEqualTo(HALF - 2);
    assertThat(Serial.isNewer(Serial.add(7, HALF - 1), 7)).isTrue();
  }

  @Test
  void additionRefusesHalfTheSpaceOrMore() {
    assertThatThrownBy(() -> Serial.add(0, HALF)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Serial.add(0, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void valuesOutside32BitsAreRejected() {
    assertThatThrownBy(() -> Serial.compare(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Serial.compare(0, MAX + 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void atLeastAcceptsEqualAndNewer() {
    assertThat(Serial.isAtLeast(3, 3)).isTrue();
    assertThat(Serial.isAtLeast(0, MAX)).isTrue();
    assertThat(Serial.isAtLeast(MAX, 0)).isFalse();
  }
}
