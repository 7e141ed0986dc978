package io.tierdns.authoritative.store;

import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.edit.ZoneEditException;
import io.tierdns.authoritative.serial.Serial;
import io.tierdns.authoritative.serial.SerialPolicy;
import java.time.Instant;
import org.xbill.DNS.SOARecord;

/**
 * Turns a zone file edited by hand into the next zone version, as Knot DNS's {@code
 * zonefile-load: difference} does. Pure: no I/O.
 *
 * <p>The file was last written from the journal at some serial (the <em>base</em>); changes may
 * have been committed since. So the hand edit is the difference between the base and the file,
 * carried onto the current version as a patch: a change committed through the API after the
 * flush is kept, not reverted by a file that never saw it. When the base is unknown (no flush
 * mark, or the journal no longer reaches back to it) the file's content is taken as a whole.
 *
 * <p>The new version's serial is the file's when that is newer than the current serial (RFC
 * 1982), else the policy's next.
 */
final class HandEdits {

  private HandEdits() {}

  /**
   * The version the file asks for.
   *
   * @param current the journal's state
   * @param base the state the file was written from, or {@code null} when unknown
   * @param file the file's content
   * @throws ZoneEditException ({@code CONFLICT}) when the edit cannot be carried onto the current
   *     version
   */
  static ZoneSnapshot target(ZoneSnapshot current, ZoneSnapshot base, ZoneSnapshot file, SerialPolicy policy, Instant now) {
    long serial =
        Serial.isNewer(file.serial(), current.serial()) ? file.serial() : policy.next(current.serial(), now);
    ZoneDiff patch;
    SOARecord soa;
    if (base == null) {
      patch = Diffs.between(current, file);
      soa = file.soa();
    } else {
      patch = Diffs.between(base, file);
      soa = Diffs.sameSoa(base.soa(), file.soa()) ? current.soa() : file.soa();
    }
    ZoneDiff onto = new ZoneDiff(current.origin(), current.soa(), Diffs.withSerial(soa, serial), patch.removed(), patch.added());
    try {
      return Diffs.patch(current, onto);
    } catch (Diffs.MismatchException e) {
      throw new ZoneEditException(
          ZoneEditException.Kind.CONFLICT, "the hand edit of zone " + current.origin() + " conflicts with changes committed since: " + e.getMessage());
    }
  }
}
