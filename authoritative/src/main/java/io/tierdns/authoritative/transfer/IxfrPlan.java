package io.tierdns.authoritative.transfer;

import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.serial.Serial;
import io.tierdns.authoritative.serial.SerialComparison;
import java.util.List;
import java.util.Optional;

/**
 * What an IXFR answer carries, decided from the client's serial and the journal (RFC 1995 §2, §4).
 *
 * <p>{@link #decide} is a pure function over these cases, in order (after ZooKeeper's {@code
 * LearnerHandler#syncFollower}: empty diff / diff / snapshot):
 *
 * <ol>
 *   <li>the client's serial equals ours: {@link UpToDate}, one SOA (§2);
 *   <li>the client's serial is ahead of ours or incomparable (RFC 1982): {@link FullZone} with
 *       {@link FullReason#CLIENT_SERIAL_NOT_OLDER}; the zone in AXFR form lets a secondary that
 *       was fed a bad serial come back (Knot DNS answers a single SOA here instead);
 *   <li>no journal configured: {@link FullZone}, {@link FullReason#NO_JOURNAL};
 *   <li>the journal does not reach back to the client's serial (or returns a chain that does not
 *       join both serials): {@link FullZone}, {@link FullReason#JOURNAL_GAP} (§2: "the server
 *       may ... send the entire zone");
 *   <li>the condensed difference has more records than the zone: {@link FullZone}, {@link
 *       FullReason#DIFF_LARGER_THAN_ZONE} (as BIND's {@code max-ixfr-ratio} 100%);
 *   <li>otherwise {@link Incremental}: the chain condensed into one difference (§5).
 * </ol>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1995#section-2">RFC 1995 §2</a>
 */
public sealed interface IxfrPlan {

  /** The client has our version: answer with our SOA alone. */
  record UpToDate() implements IxfrPlan {}

  /** One condensed difference from the client's version to ours. */
  record Incremental(ZoneDiff diff) implements IxfrPlan {}

  /** The whole zone, in AXFR form inside the IXFR answer. */
  record FullZone(FullReason reason) implements IxfrPlan {}

  /** Why an IXFR is answered with the whole zone. */
  enum FullReason {
    CLIENT_SERIAL_NOT_OLDER,
    NO_JOURNAL,
    JOURNAL_GAP,
    DIFF_LARGER_THAN_ZONE
  }

  /**
   * Decides the answer.
   *
   * @param clientSerial the serial in the IXFR query's authority SOA
   * @param currentSerial our serial
   * @param zoneSize records in our zone
   * @param diffs the journal's {@code diffsSince(zone, clientSerial)}, or {@code null} without a
   *     journal
   */
  static IxfrPlan decide(
      long clientSerial, long currentSerial, int zoneSize, Optional<List<ZoneDiff>> diffs) {
    SerialComparison c = Serial.compare(clientSerial, currentSerial);
    if (c == SerialComparison.EQUAL) {
      return new UpToDate();
    }
    if (c != SerialComparison.LESS) {
      return new FullZone(FullReason.CLIENT_SERIAL_NOT_OLDER);
    }
    if (diffs == null) {
      return new FullZone(FullReason.NO_JOURNAL);
    }
    if (diffs.isEmpty() || diffs.get().isEmpty()) {
      return new FullZone(FullReason.JOURNAL_GAP);
    }
    List<ZoneDiff> chain = diffs.get();
    if (chain.get(0).fromSerial() != clientSerial
        || chain.get(chain.size() - 1).toSerial() != currentSerial) {
      return new FullZone(FullReason.JOURNAL_GAP);
    }
    ZoneDiff condensed;
    try {
      condensed = Diffs.condense(chain);
    } catch (IllegalArgumentException e) { // not consecutive: treat as a hole in the journal
      return new FullZone(FullReason.JOURNAL_GAP);
    }
    if (condensed.removed().size() + condensed.added().size() > zoneSize) {
      return new FullZone(FullReason.DIFF_LARGER_THAN_ZONE);
    }
    return new Incremental(condensed);
  }
}
