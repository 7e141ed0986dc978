package io.tierdns.zonesync;

import static io.tierdns.zonesync.TransferPlan.Step.AXFR;
import static io.tierdns.zonesync.TransferPlan.Step.IXFR;
import static io.tierdns.zonesync.TransferPlan.Step.NEXT_PRIMARY;
import static io.tierdns.zonesync.TransferPlan.Step.RETRY_LATER;
import static io.tierdns.zonesync.TransferPlan.Step.UP_TO_DATE;
import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.zonesync.TransferPlan.Attempt;
import io.tierdns.zonesync.TransferPlan.Step;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;

class TransferPlanTest {

  static final Name Z = Name.fromConstantString("example.test.");
  static final long MID = 1L << 31;

  static SoaOutcome soa(long serial) {
    return new SoaOutcome.Answer(new SOARecord(Z, 1, 3600, Z, Z, serial, 3600, 600, 86400, 300), -1);
  }

  static Step step(OptionalLong ours, SoaOutcome soa, Attempt last, boolean more) {
    return TransferPlan.decide(ours, soa, last, more).step();
  }

  // ---- before any transfer ----

  @ParameterizedTest(name = "ours {0}, primary {1} -> {2}")
  @CsvSource({
    "10, 10, UP_TO_DATE",
    "10, 11, IXFR",
    "10, 9, NEXT_PRIMARY",
    // wrap-around: 2^32-1 -> 0 is forward
    "4294967295, 0, IXFR",
    "0, 4294967295, NEXT_PRIMARY",
    // near the RFC 1982 midpoint
    "0, 2147483647, IXFR",
    "2147483647, 0, NEXT_PRIMARY",
    "0, 2147483649, NEXT_PRIMARY",
    // exactly 2^31 apart: undefined
    "0, 2147483648, AXFR",
    "2147483648, 0, AXFR",
    "4294967295, 2147483647, AXFR",
  })
  void aPrimarysSerialAgainstOursChoosesTheFirstStep(long ours, long theirs, Step expected) {
    assertThat(step(OptionalLong.of(ours), soa(theirs), null, true)).isEqualTo(expected);
  }

  @Test
  void withoutALocalVersionTheFirstStepIsAxfr() {
    assertThat(step(OptionalLong.empty(), soa(1), null, false)).isEqualTo(AXFR);
    assertThat(step(OptionalLong.empty(), soa(MID), null, false)).isEqualTo(AXFR);
  }

  @ParameterizedTest
  @EnumSource(TransferFailure.class)
  void aFailedSoaQueryMovesToTheNextPrimaryOrRetriesWhenNoneIsLeft(TransferFailure f) {
    SoaOutcome failed = new SoaOutcome.Failed(f, "x");
    assertThat(step(OptionalLong.of(5), failed, null, true)).isEqualTo(NEXT_PRIMARY);
    assertThat(step(OptionalLong.of(5), failed, null, false)).isEqualTo(RETRY_LATER);
    assertThat(step(OptionalLong.empty(), failed, null, true)).isEqualTo(NEXT_PRIMARY);
  }

  @Test
  void aPrimaryBehindUsIsSkippedAndWithNoOtherPrimaryWeRetryLater() {
    assertThat(step(OptionalLong.of(100), soa(99), null, false)).isEqualTo(RETRY_LATER);
    assertThat(TransferPlan.decide(OptionalLong.of(100), soa(99), null, false).reason())
        .contains("older than ours").contains("no other primary left");
  }

  // ---- after an IXFR ----

  static final Set<TransferFailure> IXFR_TO_AXFR =
      EnumSet.of(
          TransferFailure.NOTIMP, TransferFailure.FORMERR, TransferFailure.REFUSED,
          TransferFailure.SERVFAIL, TransferFailure.OTHER_RCODE, TransferFailure.DIFF_MISMATCH,
          TransferFailure.INVALID_ZONE, TransferFailure.BAD_RESPONSE);

  static final Set<TransferFailure> IXFR_TO_NEXT =
      EnumSet.of(
          TransferFailure.NOTAUTH, TransferFailure.TSIG, TransferFailure.TIMEOUT,
          TransferFailure.CONNECTION, TransferFailure.SERIAL_BACKWARDS);

  @Test
  void everyFailureIsClassifiedForIxfr() {
    Set<TransferFailure> all = EnumSet.copyOf(IXFR_TO_AXFR);
    all.addAll(IXFR_TO_NEXT);
    all.add(TransferFailure.LOCAL_ERROR);
    assertThat(all).isEqualTo(EnumSet.allOf(TransferFailure.class));
  }

  @ParameterizedTest
  @EnumSource(TransferFailure.class)
  void afterAFailedIxfrTheStepIsDefinedForEveryFailure(TransferFailure f) {
    Attempt a = Attempt.failed(TransferKind.IXFR, f);
    Step withMore = step(OptionalLong.of(10), soa(11), a, true);
    Step alone = step(OptionalLong.of(10), soa(11), a, false);
    if (IXFR_TO_AXFR.contains(f)) {
      assertThat(withMore).isEqualTo(AXFR);
      assertThat(alone).isEqualTo(AXFR);
    } else if (IXFR_TO_NEXT.contains(f)) {
      assertThat(withMore).isEqualTo(NEXT_PRIMARY);
      assertThat(alone).isEqualTo(RETRY_LATER);
    } else {
      assertThat(withMore).isEqualTo(RETRY_LATER);
      assertThat(alone).isEqualTo(RETRY_LATER);
    }
  }

  @ParameterizedTest
  @EnumSource(TransferFailure.class)
  void afterAFailedAxfrWeNeverTryAxfrAgainFromTheSamePrimary(TransferFailure f) {
    Attempt a = Attempt.failed(TransferKind.AXFR, f);
    Step withMore = step(OptionalLong.of(10), soa(11), a, true);
    Step alone = step(OptionalLong.of(10), soa(11), a, false);
    assertThat(withMore).isEqualTo(f == TransferFailure.LOCAL_ERROR ? RETRY_LATER : NEXT_PRIMARY);
    assertThat(alone).isEqualTo(RETRY_LATER);
    assertThat(step(OptionalLong.empty(), soa(11), a, true)).isIn(NEXT_PRIMARY, RETRY_LATER);
  }

  @ParameterizedTest
  @EnumSource(TransferKind.class)
  void aPrimaryThatSaysWeAreCurrentEndsTheRefresh(TransferKind kind) {
    assertThat(step(OptionalLong.of(10), soa(11), Attempt.current(kind), true)).isEqualTo(UP_TO_DATE);
  }

  @Test
  void everyDecisionCarriesAReason() {
    for (TransferFailure f : TransferFailure.values()) {
      for (TransferKind k : TransferKind.values()) {
        assertThat(TransferPlan.decide(OptionalLong.of(1), soa(2), Attempt.failed(k, f), true).reason())
            .isNotBlank();
      }
    }
  }
}
