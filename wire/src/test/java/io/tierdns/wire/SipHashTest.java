package io.tierdns.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The reference vectors of the SipHash paper (Appendix A) and its vectors.h. */
class SipHashTest {

  private static final long K0 = 0x0706050403020100L;
  private static final long K1 = 0x0f0e0d0c0b0a0908L;

  @Test
  void emptyMessageGivesTheReferenceHash() {
    assertThat(SipHash.hash24(K0, K1, new byte[0], 0)).isEqualTo(0x726fdb47dd0e0e31L);
  }

  @Test
  void fifteenByteMessageOfThePaperGivesItsHash() {
    assertThat(SipHash.hash24(K0, K1, counting(15), 15)).isEqualTo(0xa129ca6149be45e5L);
  }

  @Test
  void aWholeBlockAndOneByteMoreGiveTheReferenceHashes() {
    // vectors.h, entries 8 and 9: the bytes of the result, little-endian.
    assertThat(SipHash.hash24(K0, K1, counting(8), 8)).isEqualTo(0x93f5f5799a932462L);
    assertThat(SipHash.hash24(K0, K1, counting(9), 9)).isEqualTo(0x9e0082df0ba9e4b0L);
  }

  private static byte[] counting(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) i;
    }
    return b;
  }
}
