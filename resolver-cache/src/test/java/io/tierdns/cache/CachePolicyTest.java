package io.tierdns.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CachePolicyTest {

  @Test
  void defaultsAreTheDocumentedOperatorDefaults() {
    CachePolicy p = CachePolicy.defaults();
    assertThat(p.minTtl()).isZero();
    assertThat(p.maxTtl()).isEqualTo(Duration.ofDays(1));
    assertThat(p.negativeMaxTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(p.serveStale()).isTrue();
    assertThat(p.staleAnswerTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.maxStale()).isEqualTo(Duration.ofDays(1));
    assertThat(p.clientTimeout()).isEqualTo(Duration.ofMillis(1800));
    assertThat(p.staleRefreshTime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.servfailTtl()).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.prefetchFraction()).isEqualTo(0.1);
    assertThat(p.prefetchEligibility()).isEqualTo(Duration.ofSeconds(9));
    assertThat(p.maxSizeBytes()).isEqualTo(64L * 1024 * 1024);
  }

  @Test
  void toBuilderRoundTrips() {
    CachePolicy p = CachePolicy.builder().maxStale(Duration.ofHours(2)).serveStale(false).build();
    assertThat(p.toBuilder().build()).isEqualTo(p);
  }

  @Test
  void staleWindowIsZeroWhenServeStaleIsOff() {
    assertThat(CachePolicy.builder().serveStale(false).build().staleWindow()).isZero();
    assertThat(CachePolicy.defaults().staleWindow()).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void minTtlAboveMaxTtlIsRejectedNamingBoth() {
    assertThatThrownBy(
            () -> CachePolicy.builder().minTtl(Duration.ofHours(2)).maxTtl(Duration.ofHours(1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minTtl")
        .hasMessageContaining("maxTtl");
  }

  @Test
  void negativeDurationsAreRejectedNamingTheKnob() {
    assertThatThrownBy(() -> CachePolicy.builder().maxStale(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("maxStale must not be negative");
  }

  @Test
  void prefetchFractionMustBeBelowOne() {
    assertThatThrownBy(() -> CachePolicy.builder().prefetchFraction(1.0).build())
        .hasMessageContaining("prefetchFraction");
    assertThatThrownBy(() -> CachePolicy.builder().prefetchFraction(Double.NaN).build())
        .hasMessageContaining("prefetchFraction");
  }

  @Test
  void servfailTtlIsCappedAtFiveMinutesPerRfc9520() {
    assertThatThrownBy(() -> CachePolicy.builder().servfailTtl(Duration.ofMinutes(6)).build())
        .hasMessageContaining("RFC 9520");
  }

  @Test
  void staleAnswerTtlOfZeroIsRejectedOnlyWhenServingStale() {
    assertThatThrownBy(() -> CachePolicy.builder().staleAnswerTtl(Duration.ZERO).build())
        .hasMessageContaining("staleAnswerTtl");
    CachePolicy.builder().serveStale(false).staleAnswerTtl(Duration.ZERO).build();
  }

  @Test
  void maxTtlAboveRfc2181LimitIsRejected() {
    assertThatThrownBy(() -> CachePolicy.builder().maxTtl(Duration.ofSeconds(1L << 31)).build())
        .hasMessageContaining("RFC 2181");
  }

  @Test
  void sizeMustBePositive() {
    assertThatThrownBy(() -> CachePolicy.builder().maxSizeBytes(0).build())
        .hasMessageContaining("maxSizeBytes");
  }
}
