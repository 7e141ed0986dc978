package io.tierdns.zonesync;

import java.util.List;
import java.util.OptionalLong;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

/**
 * The EDNS EXPIRE option (RFC 7314): code 9, empty in a query, four octets (seconds until the
 * zone expires here) in a response.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7314#section-2">RFC 7314 §2</a>
 */
public final class EdnsExpire {

  /** The option code. */
  public static final int CODE = EDNSOption.Code.EDNS_EXPIRE;

  private EdnsExpire() {}

  /** The empty option a query carries. */
  public static EDNSOption request() {
    return new GenericEDNSOption(CODE, new byte[0]);
  }

  /** The option a response carries: {@code seconds} in 0 .. 2^32-1. */
  public static EDNSOption response(long seconds) {
    long s = Math.max(0, Math.min(seconds, 0xFFFFFFFFL));
    return new GenericEDNSOption(
        CODE, new byte[] {(byte) (s >>> 24), (byte) (s >>> 16), (byte) (s >>> 8), (byte) s});
  }

  /** Whether a message asks for EXPIRE (has the option in its OPT). */
  public static boolean requested(Message m) {
    OPTRecord opt = m.getOPT();
    return opt != null && !opt.getOptions(CODE).isEmpty();
  }

  /** The value of the EXPIRE option of a response, if it has one with four octets. */
  public static OptionalLong value(Message m) {
    OPTRecord opt = m.getOPT();
    if (opt == null) {
      return OptionalLong.empty();
    }
    List<EDNSOption> options = opt.getOptions(CODE);
    if (options.isEmpty()) {
      return OptionalLong.empty();
    }
    byte[] wire = options.get(0).toWire(); // code (2), length (2), data
    if (wire.length != 8) {
      return OptionalLong.empty();
    }
    long v = 0;
    for (int i = 4; i < 8; i++) {
      v = (v << 8) | (wire[i] & 0xFF);
    }
    return OptionalLong.of(v);
  }
}
