package io.tierdns.zonesync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;

class SoaTimersTest {

  static final Name Z = Name.fromConstantString("example.test.");
  static final SecondaryZoneConfig CONFIG =
      SecondaryZoneConfig.of(Z, List.of(new SecondaryZoneConfig.Primary(new InetSocketAddress("127.0.0.1", 53))))
          .withTimers(
              new SecondaryZoneConfig.Bounds(Duration.ofSeconds(60), Duration.ofHours(2)),
              new SecondaryZoneConfig.Bounds(Duration.ofSeconds(10), Duration.ofMinutes(30)),
              new SecondaryZoneConfig.Bounds(Duration.ofHours(1), Duration.ofDays(7)),
              0.2);

  static SOARecord soa(long refresh, long retry, long expire) {
    return new SOARecord(Z, 1, 3600, Z, Z, 1, refresh, retry, expire, 300);
  }

  @Test
  void soaTimersAreClampedToTheConfiguredBounds() {
    assertThat(SoaTimers.refresh(soa(5, 1, 60), CONFIG, 0)).isEqualTo(Duration.ofSeconds(60));
    assertThat(SoaTimers.refresh(soa(86400, 1, 60), CONFIG, 0)).isEqualTo(Duration.ofHours(2));
    assertThat(SoaTimers.retry(soa(5, 1, 60), CONFIG, 0)).isEqualTo(Duration.ofSeconds(10));
    assertThat(SoaTimers.expire(soa(5, 1, 60), -1, CONFIG)).isEqualTo(Duration.ofHours(1));
    assertThat(SoaTimers.expire(soa(5, 1, 100 * 86400L), -1, CONFIG)).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void jitterShortensUpToItsFractionButNeverBelowTheMinimum() {
    assertThat(SoaTimers.refresh(soa(3600, 600, 86400), CONFIG, 0.0)).isEqualTo(Duration.ofSeconds(3600));
    assertThat(SoaTimers.refresh(soa(3600, 600, 86400), CONFIG, 0.5)).isEqualTo(Duration.ofSeconds(3240));
    assertThat(SoaTimers.refresh(soa(3600, 600, 86400), CONFIG, 0.999)).isGreaterThan(Duration.ofSeconds(2880));
    assertThat(SoaTimers.refresh(soa(60, 600, 86400), CONFIG, 0.999)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aLowerEdnsExpireWinsAndAHigherOneIsIgnored() {
    assertThat(SoaTimers.expire(soa(60, 60, 86400), 7200, CONFIG)).isEqualTo(Duration.ofSeconds(7200));
    assertThat(SoaTimers.expire(soa(60, 60, 86400), 999999, CONFIG)).isEqualTo(Duration.ofSeconds(86400));
  }

  @Test
  void withoutAnSoaTheInitialRetryIsUsed() {
    assertThat(SoaTimers.retry(null, CONFIG, 0)).isEqualTo(SoaTimers.INITIAL_RETRY);
  }

  @Test
  void theConfigurationRejectsWhatCannotWork() {
    SecondaryZoneConfig.Primary p = new SecondaryZoneConfig.Primary(new InetSocketAddress("127.0.0.1", 53));
    assertThatThrownBy(() -> SecondaryZoneConfig.of(Z, List.of())).hasMessageContaining("at least one primary");
    assertThatThrownBy(() -> SecondaryZoneConfig.of(Z, List.of(p, p))).hasMessageContaining("twice");
    assertThatThrownBy(() -> SecondaryZoneConfig.of(Name.fromConstantString("rel"), List.of(p))).hasMessageContaining("absolute");
    assertThatThrownBy(() -> new SecondaryZoneConfig.Bounds(Duration.ofSeconds(10), Duration.ofSeconds(5))).hasMessageContaining("below");
    assertThatThrownBy(() -> CONFIG.withTimers(CONFIG.refresh(), CONFIG.retry(), CONFIG.expire(), 0.9)).hasMessageContaining("jitter");
    assertThatThrownBy(() -> new SecondaryZoneConfig.Primary(InetSocketAddress.createUnresolved("ns.example", 53))).hasMessageContaining("not an IP");
  }
}
