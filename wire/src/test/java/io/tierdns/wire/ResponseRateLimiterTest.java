package io.tierdns.wire;

import static io.tierdns.wire.ResponseRateLimiter.Verdict.DROP;
import static io.tierdns.wire.ResponseRateLimiter.Verdict.PASS;
import static io.tierdns.wire.ResponseRateLimiter.Verdict.SLIP;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.wire.ResponseRateLimiter.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token buckets of response rate limiting, on a fake clock. */
class ResponseRateLimiterTest {

  private static final byte[] CLIENT = {(byte) 192, 0, 2, 1};
  private static final long ANSWER = 42;

  /** Far from zero, and negative, as System.nanoTime may be. */
  private final AtomicLong clock = new AtomicLong(-5_000_000_000L);

  @Test
  void aBurstFromOnePrefixIsLimitedToTheRate() {
    ResponseRateLimiter rrl = limiter(5, 0);
    assertThat(verdicts(rrl, CLIENT, ANSWER, 20)).containsOnly(PASS, DROP).filteredOn(v -> v == PASS).hasSize(5);
  }

  @Test
  void theBucketRefillsAtTheRate() {
    ResponseRateLimiter rrl = limiter(5, 0);
    verdicts(rrl, CLIENT, ANSWER, 20);
    clock.addAndGet(200_000_000L); // one fifth of a second: one response
    assertThat(rrl.check(CLIENT, ANSWER)).isEqualTo(PASS);
    assertThat(rrl.check(CLIENT, ANSWER)).isEqualTo(DROP);
    clock.addAndGet(10_000_000_000L); // long idle: a full burst again, never more
    assertThat(verdicts(rrl, CLIENT, ANSWER, 10)).filteredOn(v -> v == PASS).hasSize(5);
  }

  @Test
  void slipTwoSendsEverySecondLimitedResponseTruncated() {
    ResponseRateLimiter rrl = limiter(2, 2);
    assertThat(verdicts(rrl, CLIENT, ANSWER, 8))
        .containsExactly(PASS, PASS, DROP, SLIP, DROP, SLIP, DROP, SLIP);
  }

  @Test
  void slipOneSlipsEveryLimitedResponseAndSlipZeroNone() {
    assertThat(verdicts(limiter(1, 1), CLIENT, ANSWER, 4)).containsExactly(PASS, SLIP, SLIP, SLIP);
    assertThat(verdicts(limiter(1, 0), CLIENT, ANSWER, 4)).containsExactly(PASS, DROP, DROP, DROP);
  }

  @Test
  void anotherPrefixIsUnaffectedButTheSame24Shares() {
    ResponseRateLimiter rrl = limiter(3, 0);
    verdicts(rrl, CLIENT, ANSWER, 10);
    assertThat(rrl.check(new byte[] {(byte) 192, 0, 2, (byte) 200}, ANSWER)).isEqualTo(DROP);
    assertThat(verdicts(rrl, new byte[] {(byte) 192, 0, 3, 1}, ANSWER, 3)).containsOnly(PASS);
  }

  @Test
  void anotherResponseClassToTheSameClientIsUnaffected() {
    ResponseRateLimiter rrl = limiter(3, 0);
    verdicts(rrl, CLIENT, ANSWER, 10);
    assertThat(verdicts(rrl, CLIENT, ANSWER + 1, 3)).containsOnly(PASS);
  }

  @Test
  void ipv6ClientsShareTheirSlash56() {
    ResponseRateLimiter rrl = limiter(2, 0);
    byte[] a = new byte[16];
    a[0] = 0x20;
    a[1] = 0x01;
    a[6] = 0x12;
    byte[] sameSlash56 = a.clone();
    sameSlash56[7] = 0x34;
    sameSlash56[15] = 1;
    byte[] otherSlash56 = a.clone();
    otherSlash56[6] = 0x13;
    verdicts(rrl, a, ANSWER, 2);
    assertThat(rrl.check(sameSlash56, ANSWER)).isEqualTo(DROP);
    assertThat(rrl.check(otherSlash56, ANSWER)).isEqualTo(PASS);
  }

  @Test
  void theTableStaysBoundedAndKeepsLimitingUnderOneHundredThousandRandomPrefixes() {
    ResponseRateLimiter rrl = limiter(5, 0, 1024);
    SplittableRandom random = new SplittableRandom(9);
    int victimPassed = 0;
    for (int i = 0; i < 100_000; i++) {
      byte[] spoofed = new byte[4];
      random.nextBytes(spoofed);
      rrl.check(spoofed, ANSWER);
      if (i % 10 == 0 && rrl.check(CLIENT, ANSWER) == PASS) {
        victimPassed++;
      }
      clock.addAndGet(1_000); // 1 µs per packet: the whole flood is a tenth of a second
    }
    assertThat(rrl.capacity()).isEqualTo(1024);
    assertThat(rrl.used()).isLessThanOrEqualTo(1024);
    // 0.1 s at 5/s on top of the burst of 5: the flow under attack stayed in the table.
    assertThat(victimPassed).isLessThanOrEqualTo(6);
  }

  private ResponseRateLimiter limiter(int rate, int slip) {
    return limiter(rate, slip, 4096);
  }

  private ResponseRateLimiter limiter(int rate, int slip, int table) {
    return new ResponseRateLimiter(rate, slip, table, clock::get, 7);
  }

  private static List<Verdict> verdicts(ResponseRateLimiter rrl, byte[] client, long cls, int n) {
    List<Verdict> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(rrl.check(client, cls));
    }
    return out;
  }
}
