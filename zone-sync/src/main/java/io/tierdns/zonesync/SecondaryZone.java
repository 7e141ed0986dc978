package io.tierdns.zonesync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * Where one secondary zone stands, for the admin API and the propagation report. Immutable; a new
 * value after every event.
 *
 * @param zone the zone
 * @param serial the serial held, or -1 before the first transfer
 * @param state see {@link State}
 * @param primaries what each primary last said
 * @param lastRefresh when a refresh last succeeded (up to date or transferred), or null
 * @param nextRefresh when the next REFRESH or RETRY is planned, or null
 * @param expiresAt when the zone expires without a successful refresh, or null
 * @param lastTransfer the last transfer applied, or null
 * @param lastError why the last refresh failed, or null after a success
 * @param digest the SHA-384 SIMPLE ZONEMD digest of the version held (hex), or null
 * @param audit the last ZONEMD audit, or null
 */
public record SecondaryZone(
    Name zone,
    long serial,
    State state,
    List<PrimaryStatus> primaries,
    Instant lastRefresh,
    Instant nextRefresh,
    Instant expiresAt,
    TransferRecord lastTransfer,
    String lastError,
    String digest,
    AuditResult audit) {

  public SecondaryZone {
    primaries = List.copyOf(primaries);
  }

  /** The life cycle of a secondary zone. */
  public enum State {
    /** No version yet: the first transfer has not succeeded. Queries are REFUSED (not ours). */
    LOADING,
    /** A version is served; no refresh is running. */
    SERVING,
    /** A refresh is running; the old version keeps serving. */
    REFRESHING,
    /** No primary answered for SOA EXPIRE: queries for the zone get SERVFAIL (RFC 1035 §3.3.13). */
    EXPIRED
  }

  /**
   * What one primary last said.
   *
   * @param primary its address and key
   * @param lastSerial the serial of its last SOA answer, or -1
   * @param lastAnswer when it last answered our SOA query, or null
   * @param lastError its last failure, or null when its last answer was good
   */
  public record PrimaryStatus(SecondaryZoneConfig.Primary primary, long lastSerial, Instant lastAnswer, String lastError) {}

  /**
   * A transfer applied.
   *
   * @param kind IXFR or AXFR
   * @param primary where from
   * @param fromSerial our serial before, or -1
   * @param toSerial the serial received
   * @param at when it was applied
   * @param duration how long it took: transfer, build, checks and journaling up to the swap (a
   *     whole version's journal snapshot is written after it)
   */
  public record TransferRecord(TransferKind kind, SecondaryZoneConfig.Primary primary, long fromSerial, long toSerial, Instant at, Duration duration) {}

  /**
   * The outcome of one ZONEMD audit.
   *
   * @param at when
   * @param serial our serial
   * @param outcome see {@link Outcome}
   * @param ours our digest (hex), or null
   * @param theirs the primary's digest (hex), or null
   * @param detail the primary used, or why the audit could not compare
   */
  public record AuditResult(Instant at, long serial, Outcome outcome, String ours, String theirs, String detail) {

    /** What an audit found. */
    public enum Outcome {
      /** Same serial, same digest. */
      MATCH,
      /** Same serial, different digest: the primary's version was installed by AXFR. */
      REPAIRED,
      /** Same serial, different digest, and the repair failed. */
      MISMATCH,
      /** No primary at our serial answered; nothing compared (a refresh catches up first). */
      SKIPPED
    }
  }
}
