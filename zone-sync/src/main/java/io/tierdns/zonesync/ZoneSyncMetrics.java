package io.tierdns.zonesync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.xbill.DNS.Name;

/**
 * {@code zonesync.*} meters; every method is a no-op without a registry.
 *
 * <ul>
 *   <li>{@code zonesync.transfers} (counter; zone, kind IXFR/AXFR, result applied/failed)
 *   <li>{@code zonesync.transfer.duration} (timer; zone, kind): transfers applied
 *   <li>{@code zonesync.refresh.failures} (counter; zone): refreshes that ended in RETRY
 *   <li>{@code zonesync.expired} (counter; zone): zones that expired
 *   <li>{@code zonesync.notify.received} (counter; result accepted/refused/notauth/badsig)
 *   <li>{@code zonesync.audits} (counter; zone, outcome MATCH/REPAIRED/MISMATCH/SKIPPED)
 * </ul>
 */
final class ZoneSyncMetrics {

  static final ZoneSyncMetrics NONE = new ZoneSyncMetrics(null);

  private final MeterRegistry meters;

  ZoneSyncMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  void transfer(Name zone, TransferKind kind, boolean applied, Duration took) {
    if (meters == null) {
      return;
    }
    Counter.builder("zonesync.transfers")
        .description("Zone transfers tried by the secondary")
        .tag("zone", zone.toString())
        .tag("kind", kind.name())
        .tag("result", applied ? "applied" : "failed")
        .register(meters)
        .increment();
    if (applied && took != null) {
      Timer.builder("zonesync.transfer.duration")
          .description("Time to transfer, validate, journal and swap a zone version")
          .tag("zone", zone.toString())
          .tag("kind", kind.name())
          .register(meters)
          .record(took);
    }
  }

  void refreshFailed(Name zone) {
    count("zonesync.refresh.failures", "Refreshes that failed and were planned for RETRY", "zone", zone.toString());
  }

  void expired(Name zone) {
    count("zonesync.expired", "Zones that expired (SERVFAIL until a primary answers)", "zone", zone.toString());
  }

  void notifyReceived(String result) {
    count("zonesync.notify.received", "NOTIFY messages received, by result", "result", result);
  }

  void audit(Name zone, SecondaryZone.AuditResult.Outcome outcome) {
    if (meters == null) {
      return;
    }
    Counter.builder("zonesync.audits")
        .description("ZONEMD audits, by outcome")
        .tag("zone", zone.toString())
        .tag("outcome", outcome.name())
        .register(meters)
        .increment();
  }

  private void count(String name, String description, String tag, String value) {
    if (meters != null) {
      Counter.builder(name).description(description).tag(tag, value).register(meters).increment();
    }
  }
}
