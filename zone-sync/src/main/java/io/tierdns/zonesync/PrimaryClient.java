package io.tierdns.zonesync;

import io.tierdns.authoritative.edit.ZoneDiff;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * How a secondary talks to its primaries: SOA query, IXFR, AXFR. Blocking; called on the zone's
 * lane, never on the query path. {@link DnsPrimaryClient} does it over the network; tests give a
 * fake. DNS outcomes are values ({@link SoaOutcome}, {@link XfrResult}), never exceptions.
 */
public interface PrimaryClient {

  /** The primary's SOA for the zone, asked with EDNS EXPIRE (RFC 7314 §3), signed when keyed. */
  SoaOutcome soa(Name zone, SecondaryZoneConfig.Primary primary);

  /** IXFR from our version (RFC 1995), over TCP. */
  XfrResult ixfr(Name zone, SecondaryZoneConfig.Primary primary, SOARecord ours);

  /** AXFR (RFC 5936). */
  XfrResult axfr(Name zone, SecondaryZoneConfig.Primary primary);

  /** What a transfer brought back. */
  sealed interface XfrResult {}

  /** The primary said we are current (IXFR answered with its SOA alone). */
  record Current(long serial) implements XfrResult {}

  /** Incremental: the diffs, oldest first (RFC 1995 §4). */
  record Incremental(List<ZoneDiff> diffs) implements XfrResult {
    public Incremental {
      diffs = List.copyOf(diffs);
      if (diffs.isEmpty()) {
        throw new IllegalArgumentException("an incremental transfer has at least one diff");
      }
    }
  }

  /** The whole zone (an AXFR, or an IXFR answered AXFR-style), SOA included. */
  record Full(List<Record> records) implements XfrResult {
    public Full {
      Objects.requireNonNull(records, "records");
    }
  }

  /** No usable answer. */
  record Failed(TransferFailure failure, String detail) implements XfrResult {
    public Failed {
      Objects.requireNonNull(failure, "failure");
    }
  }
}
