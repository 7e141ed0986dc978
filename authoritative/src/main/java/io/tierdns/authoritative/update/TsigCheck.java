package io.tierdns.authoritative.update;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * RFC 8945 §5.2 verification of a signed request, in the RFC's order: key and algorithm (BADKEY),
 * MAC (BADSIG), time (BADTIME).
 *
 * <p>The MAC is checked by dnsjava ({@link TSIG#verify(Message, byte[], TSIGRecord)}) over the
 * bytes exactly as received. dnsjava checks the time with the key's own clock after the MAC; here
 * the time is checked again with the injected clock whenever the MAC is good, so the handler's
 * clock decides (tests move it instead of sleeping).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8945#section-5.2">RFC 8945 §5.2</a>
 */
final class TsigCheck {

  /**
   * The outcome.
   *
   * @param error {@link Rcode#NOERROR}, {@link Rcode#BADKEY}, {@link Rcode#BADSIG} or {@link
   *     Rcode#BADTIME}
   * @param key the key for the response's TSIG: the real key, or for BADKEY a stand-in with the
   *     request's key name and algorithm that never signs (RFC 8945 §5.3.2: BADKEY and BADSIG
   *     answers are unsigned)
   */
  record Result(int error, TSIG key) {
    boolean verified() {
      return error == Rcode.NOERROR;
    }
  }

  private TsigCheck() {}

  static Result verify(Message query, byte[] wire, UpdateKeys keys, Clock clock) {
    TSIGRecord tsig = query.getTSIG();
    Optional<TSIG> known = keys.key(tsig.getName());
    if (known.isEmpty()) {
      return new Result(Rcode.BADKEY, standIn(tsig, clock));
    }
    TSIG key = known.get();
    if (wire == null) {
      return new Result(Rcode.BADSIG, key); // the bytes the MAC covers are unknown
    }
    int error = key.verify(query, wire, null);
    if (error == Rcode.BADKEY) { // the algorithm differs from the key's
      return new Result(Rcode.BADKEY, standIn(tsig, clock));
    }
    if (error == Rcode.NOERROR || error == Rcode.BADTIME) { // the MAC is good
      error = inWindow(tsig, clock) ? Rcode.NOERROR : Rcode.BADTIME;
    } else if (error != Rcode.BADSIG) {
      error = Rcode.BADSIG; // FORMERR: no TSIG to verify, which cannot be here
    }
    return new Result(error, key);
  }

  /** RFC 8945 §5.2.3: |now − time signed| ≤ fudge. */
  static boolean inWindow(TSIGRecord tsig, Clock clock) {
    Duration delta = Duration.between(clock.instant(), tsig.getTimeSigned()).abs();
    return delta.compareTo(tsig.getFudge()) <= 0;
  }

  /** A key object that only names the request's key and algorithm; it is used unsigned. */
  private static TSIG standIn(TSIGRecord tsig, Clock clock) {
    Name alg = tsig.getAlgorithm();
    String jca;
    try {
      jca = jcaName(alg);
    } catch (IllegalArgumentException unknownAlgorithm) {
      alg = TSIG.HMAC_SHA256; // dnsjava cannot name an algorithm it does not know
      jca = jcaName(alg);
    }
    return new TSIG(alg, tsig.getName(), new SecretKeySpec(new byte[] {0}, jca), clock);
  }

  @SuppressWarnings("deprecation") // the JCA name dnsjava itself uses for a key
  private static String jcaName(Name alg) {
    return TSIG.nameToAlgorithm(alg);
  }
}
