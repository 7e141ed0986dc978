package io.tierdns.wire;

/**
 * SipHash-2-4, the keyed 64-bit hash of Aumasson and Bernstein, as RFC 9018 §4.4 uses for the
 * hash of a server cookie. Written out here because no library on the wire module's classpath
 * has it (Guava's {@code Hashing.sipHash24} would be the only candidate); the reference test
 * vectors are in {@code SipHashTest}.
 *
 * @see <a href="https://www.aumasson.jp/siphash/siphash.pdf">SipHash: a fast short-input PRF</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9018#section-4.4">RFC 9018 §4.4</a>
 */
final class SipHash {

  private SipHash() {}

  /**
   * The hash of {@code data[0..length)} under a 128-bit key given as two little-endian words.
   *
   * @return the 64-bit result; its little-endian bytes are the reference implementation's output
   */
  static long hash24(long k0, long k1, byte[] data, int length) {
    long v0 = 0x736f6d6570736575L ^ k0;
    long v1 = 0x646f72616e646f6dL ^ k1;
    long v2 = 0x6c7967656e657261L ^ k0;
    long v3 = 0x7465646279746573L ^ k1;
    int end = length - (length % 8);
    for (int i = 0; i < end; i += 8) {
      long m = littleEndian(data, i, 8);
      v3 ^= m;
      for (int r = 0; r < 2; r++) {
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
      }
      v0 ^= m;
    }
    // The last block: the remaining bytes, and the length modulo 256 in the top byte.
    long last = littleEndian(data, end, length - end) | ((long) (length & 0xFF) << 56);
    v3 ^= last;
    for (int r = 0; r < 2; r++) {
      v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
      v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
      v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
      v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
    }
    v0 ^= last;
    v2 ^= 0xFF;
    for (int r = 0; r < 4; r++) {
      v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
      v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
      v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
      v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
    }
    return v0 ^ v1 ^ v2 ^ v3;
  }

  /** {@code count} (0..8) bytes from {@code at} as a little-endian word. */
  static long littleEndian(byte[] b, int at, int count) {
    long v = 0;
    for (int i = count - 1; i >= 0; i--) {
      v = (v << 8) | (b[at + i] & 0xFFL);
    }
    return v;
  }
}
