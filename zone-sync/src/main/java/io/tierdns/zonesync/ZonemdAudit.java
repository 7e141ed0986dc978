package io.tierdns.zonesync;

import io.tierdns.authoritative.ZoneException;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.zonesync.SecondaryZone.AuditResult;
import io.tierdns.zonesync.SecondaryZone.AuditResult.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.xbill.DNS.Name;

/**
 * The anti-entropy audit: serials alone miss divergence (a primary restored from a backup, a
 * hand edit on one side), so compare content. Take a primary whose SOA is at our serial, fetch
 * its version by AXFR, and compare the ZONEMD digests (RFC 8976, SHA-384 SIMPLE) of both. Same
 * digest: MATCH. Different: install the primary's version (the primary is the source of truth)
 * and report REPAIRED, or MISMATCH when that fails. No primary at our serial: SKIPPED, since a
 * refresh has to catch up first.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8976#section-1.2">RFC 8976 §1.2</a>
 */
final class ZonemdAudit {

  private ZonemdAudit() {}

  /**
   * @param ours our version
   * @param ourDigest its digest when already known, or null
   * @param probes the primaries' SOA answers, in configured order
   * @param repair installs the primary's version; true when it was installed
   */
  static AuditResult run(
      Name zone,
      ZoneSnapshot ours,
      String ourDigest,
      List<PrimaryProbe> probes,
      PrimaryClient client,
      Instant now,
      Predicate<ZoneSnapshot> repair) {
    String mine = ourDigest != null ? ourDigest : Zonemd.sha384Hex(zone, ours.records());
    StringBuilder tried = new StringBuilder();
    for (PrimaryProbe p : probes) {
      if (!(p.outcome() instanceof SoaOutcome.Answer a) || a.serial() != ours.serial()) {
        continue;
      }
      PrimaryClient.XfrResult r = client.axfr(zone, p.primary());
      if (!(r instanceof PrimaryClient.Full full)) {
        tried.append(p.primary()).append(": AXFR failed ").append(r).append("; ");
        continue;
      }
      ZoneSnapshot theirs;
      try {
        theirs = ZoneSnapshot.of(zone, full.records());
      } catch (ZoneException e) {
        tried.append(p.primary()).append(": invalid zone ").append(e.getMessage()).append("; ");
        continue;
      }
      if (theirs.serial() != ours.serial()) {
        tried.append(p.primary()).append(": moved to serial ").append(theirs.serial()).append("; ");
        continue;
      }
      String their = Zonemd.sha384Hex(zone, theirs.records());
      if (their.equals(mine)) {
        return new AuditResult(now, ours.serial(), Outcome.MATCH, mine, their, "primary " + p.primary());
      }
      boolean repaired = repair.test(theirs);
      return new AuditResult(
          now, ours.serial(), repaired ? Outcome.REPAIRED : Outcome.MISMATCH, mine, their,
          "primary " + p.primary() + (repaired ? ": diverged at the same serial, repaired by AXFR" : ": diverged, repair failed"));
    }
    String why = tried.length() == 0 ? "no primary answered at serial " + ours.serial() : tried.toString();
    return new AuditResult(now, ours.serial(), Outcome.SKIPPED, mine, null, why);
  }
}
