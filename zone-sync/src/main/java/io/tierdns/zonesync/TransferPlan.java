package io.tierdns.zonesync;

import io.tierdns.authoritative.serial.Serial;
import io.tierdns.authoritative.serial.SerialComparison;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The next step of a refresh, as one pure function of what we know: our serial, the primary's
 * SOA answer, and the outcome of the transfer just tried from it. Modelled on the case list of
 * ZooKeeper's {@code LearnerHandler#syncFollower} (empty diff / diff / truncate / snapshot), and
 * on what BIND 9 and Knot DNS do on each error. The caller ({@link ZoneFollower}) asks the SOA of
 * every primary, orders them by serial, then walks them with this function until it says
 * UP_TO_DATE or RETRY_LATER, or a transfer applies.
 *
 * <p>The cases, before any transfer from this primary ({@code last} is null):
 *
 * <ol>
 *   <li>the SOA query failed (timeout, connection error, any error rcode, TSIG failure, an answer
 *       without the SOA) → NEXT_PRIMARY;
 *   <li>we have no version of the zone → AXFR;
 *   <li>the primary's serial equals ours → UP_TO_DATE;
 *   <li>the primary's serial is newer (RFC 1982) → IXFR from our serial;
 *   <li>the primary's serial is older: it went backwards (restored from a backup, a broken
 *       primary) → NEXT_PRIMARY; we keep serving ours and never go back (RFC 1982 §7);
 *   <li>the serials are exactly 2^31 apart, so RFC 1982 leaves the order undefined → AXFR (as
 *       Knot DNS, which transfers when the remote serial is not at most ours).
 * </ol>
 *
 * After an IXFR attempt:
 *
 * <ol start="7">
 *   <li>the primary answered with its SOA only, at or below ours → UP_TO_DATE;
 *   <li>NOTIMP or FORMERR (it does not do IXFR, RFC 1995 §4 style fallback) → AXFR;
 *   <li>REFUSED, SERVFAIL or another rcode (an IXFR policy, a broken journal on the primary) →
 *       AXFR, as BIND 9 ("got REFUSED, retrying with AXFR");
 *   <li>a diff that does not apply to our version, a result that is not a valid zone or whose
 *       ZONEMD does not match, a malformed or out-of-sync IXFR stream → AXFR;
 *   <li>NOTAUTH or a TSIG failure (AXFR would be rejected alike) → NEXT_PRIMARY;
 *   <li>timeout or connection error (a truncated stream included) → NEXT_PRIMARY;
 *   <li>the transfer ended at a serial not newer than ours → NEXT_PRIMARY;
 *   <li>our journal could not be written → RETRY_LATER (another primary would not help).
 * </ol>
 *
 * After an AXFR attempt:
 *
 * <ol start="15">
 *   <li>the version received is the one we have → UP_TO_DATE;
 *   <li>any failure of the primary or its data → NEXT_PRIMARY;
 *   <li>our journal could not be written → RETRY_LATER.
 * </ol>
 *
 * Finally, NEXT_PRIMARY when no primary is left becomes RETRY_LATER: keep serving the last good
 * version and try again after SOA RETRY (the EXPIRE timer keeps running).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1995#section-4">RFC 1995 §4</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5936#section-3">RFC 5936 §3</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1982#section-3.2">RFC 1982 §3.2</a>
 */
public final class TransferPlan {

  /** What to do next. */
  public enum Step {
    /** Nothing to transfer: the zone is current with this primary. */
    UP_TO_DATE,
    /** Ask this primary for IXFR from our serial. */
    IXFR,
    /** Ask this primary for AXFR. */
    AXFR,
    /** Give up on this primary for this refresh; try the next one. */
    NEXT_PRIMARY,
    /** Give up for now; plan RETRY. */
    RETRY_LATER
  }

  /**
   * The outcome of one transfer attempt that did not apply a new version.
   *
   * @param kind what was asked for
   * @param failure why it failed, or {@code null} when the primary said we are current
   */
  public record Attempt(TransferKind kind, TransferFailure failure) {
    public Attempt {
      Objects.requireNonNull(kind, "kind");
    }

    /** The primary answered that we are current. */
    public static Attempt current(TransferKind kind) {
      return new Attempt(kind, null);
    }

    public static Attempt failed(TransferKind kind, TransferFailure failure) {
      return new Attempt(kind, Objects.requireNonNull(failure, "failure"));
    }
  }

  /** A step and why, for the log and the state. */
  public record Decision(Step step, String reason) {}

  private TransferPlan() {}

  /**
   * The next step.
   *
   * @param ours our serial, empty when we hold no version of the zone
   * @param soa the primary's SOA answer
   * @param last the transfer just tried from this primary, or {@code null} before any
   * @param morePrimaries whether another primary is left to try in this refresh
   */
  public static Decision decide(OptionalLong ours, SoaOutcome soa, Attempt last, boolean morePrimaries) {
    Decision d = last == null ? beforeTransfer(ours, soa) : afterTransfer(last);
    if (d.step() == Step.NEXT_PRIMARY && !morePrimaries) {
      return new Decision(Step.RETRY_LATER, d.reason() + "; no other primary left");
    }
    return d;
  }

  private static Decision beforeTransfer(OptionalLong ours, SoaOutcome soa) {
    Objects.requireNonNull(soa, "soa");
    if (soa instanceof SoaOutcome.Failed f) {
      return new Decision(Step.NEXT_PRIMARY, "SOA query failed: " + f.failure() + detail(f.detail()));
    }
    long theirs = ((SoaOutcome.Answer) soa).serial();
    if (ours.isEmpty()) {
      return new Decision(Step.AXFR, "no local version; primary at serial " + theirs);
    }
    SerialComparison c = Serial.compare(theirs, ours.getAsLong());
    switch (c) {
      case EQUAL:
        return new Decision(Step.UP_TO_DATE, "primary at our serial " + theirs);
      case GREATER:
        return new Decision(Step.IXFR, "primary at serial " + theirs + ", ours " + ours.getAsLong());
      case LESS:
        return new Decision(
            Step.NEXT_PRIMARY,
            "primary's serial " + theirs + " is older than ours " + ours.getAsLong() + "; keeping ours");
      case UNDEFINED:
      default:
        return new Decision(
            Step.AXFR,
            "primary's serial " + theirs + " and ours " + ours.getAsLong() + " are 2^31 apart (RFC 1982 undefined)");
    }
  }

  private static Decision afterTransfer(Attempt last) {
    TransferFailure f = last.failure();
    if (f == null) {
      return new Decision(Step.UP_TO_DATE, last.kind() + " says we are current");
    }
    if (f == TransferFailure.LOCAL_ERROR) {
      return new Decision(Step.RETRY_LATER, "cannot store the zone locally");
    }
    if (last.kind() == TransferKind.AXFR) {
      return new Decision(Step.NEXT_PRIMARY, "AXFR failed: " + f);
    }
    switch (f) {
      case NOTIMP:
      case FORMERR:
      case REFUSED:
      case SERVFAIL:
      case OTHER_RCODE:
      case DIFF_MISMATCH:
      case INVALID_ZONE:
      case BAD_RESPONSE:
        return new Decision(Step.AXFR, "IXFR failed: " + f + "; falling back to AXFR");
      case NOTAUTH:
      case TSIG:
      case TIMEOUT:
      case CONNECTION:
      case SERIAL_BACKWARDS:
      default:
        return new Decision(Step.NEXT_PRIMARY, "IXFR failed: " + f);
    }
  }

  private static String detail(String detail) {
    return detail == null || detail.isEmpty() ? "" : " (" + detail + ")";
  }
}
