package io.tierdns.authoritative.serial;

/**
 * Zone serial arithmetic over 32-bit unsigned numbers (SERIAL_BITS = 32), held in a {@code long}
 * in the range 0 .. 2^32-1. Serials wrap around; never compare them with {@code <}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1982#section-3">RFC 1982 §3</a>
 */
public final class Serial {

  /** 2^32: the serial space. */
  public static final long MODULUS = 1L << 32;

  /** 2^31: the RFC 1982 midpoint; also one more than the largest number {@link #add} accepts. */
  public static final long HALF = 1L << 31;

  /** The largest serial, 2^32-1. */
  public static final long MAX = MODULUS - 1;

  private Serial() {}

  /**
   * Compares two serials (RFC 1982 §3.2): {@code a} is less than {@code b} when {@code b} is
   * reached by adding less than 2^31 to {@code a}; exactly 2^31 apart is {@link
   * SerialComparison#UNDEFINED}.
   *
   * @throws IllegalArgumentException when a serial is outside 0 .. 2^32-1
   */
  public static SerialComparison compare(long a, long b) {
    check(a);
    check(b);
    if (a == b) {
      return SerialComparison.EQUAL;
    }
    long distance = (b - a) & MAX; // how far b is ahead of a, modulo 2^32
    if (distance == HALF) {
      return SerialComparison.UNDEFINED;
    }
    return distance < HALF ? SerialComparison.LESS : SerialComparison.GREATER;
  }

  /**
   * Serial addition (RFC 1982 §3.1): {@code (s + n) mod 2^32}.
   *
   * @param n 0 .. 2^31-1
   * @throws IllegalArgumentException when {@code s} is not a serial or {@code n} is out of range
   */
  public static long add(long s, long n) {
    check(s);
    if (n < 0 || n >= HALF) {
      throw new IllegalArgumentException("serial addend " + n + " is outside 0 .. 2^31-1");
    }
    return (s + n) & MAX;
  }

  /** True when {@code a} is newer than {@code b} (RFC 1982 greater). */
  public static boolean isNewer(long a, long b) {
    return compare(a, b) == SerialComparison.GREATER;
  }

  /** True when {@code a} is {@code b} or newer: the test for "a secondary has change b". */
  public static boolean isAtLeast(long a, long b) {
    SerialComparison c = compare(a, b);
    return c == SerialComparison.GREATER || c == SerialComparison.EQUAL;
  }

  /** True when {@code s} is a 32-bit unsigned serial. */
  public static boolean isValid(long s) {
    return s >= 0 && s <= MAX;
  }

  private static void check(long s) {
    if (!isValid(s)) {
      throw new IllegalArgumentException("serial " + s + " is outside 0 .. 2^32-1");
    }
  }
}
