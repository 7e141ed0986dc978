package io.tierdns.authoritative.update;

import io.tierdns.authoritative.edit.ZoneEditException;
import org.xbill.DNS.Rcode;

/** The {@link ZoneEditException}s an UPDATE is rejected with, each carrying its RFC 2136 rcode. */
final class UpdateErrors {

  private UpdateErrors() {}

  static ZoneEditException formErr(String message) {
    return new ZoneEditException(ZoneEditException.Kind.INVALID_DATA, Rcode.FORMERR, message);
  }

  static ZoneEditException notZone(String message) {
    return new ZoneEditException(ZoneEditException.Kind.OUT_OF_ZONE, Rcode.NOTZONE, message);
  }

  static ZoneEditException refused(String message) {
    return new ZoneEditException(ZoneEditException.Kind.REFUSED, Rcode.REFUSED, message);
  }

  static ZoneEditException prerequisite(int rcode, String message) {
    return new ZoneEditException(ZoneEditException.Kind.PREREQUISITE, rcode, message);
  }

  /**
   * The rcode an UPDATE answers a rejected edit with: the one it carries, else derived from its
   * kind (for exceptions the zone writer throws).
   */
  static int rcodeOf(ZoneEditException e) {
    if (e.rcode() >= 0) {
      return e.rcode();
    }
    switch (e.kind()) {
      case UNKNOWN_ZONE:
        return Rcode.NOTAUTH;
      case OUT_OF_ZONE:
        return Rcode.NOTZONE;
      case INVALID_DATA:
        return Rcode.FORMERR;
      case PREREQUISITE: // a prerequisite failure always carries its rcode; be safe
      case CONFLICT:
      case ZONE_EXISTS:
      case REFUSED:
      default:
        return Rcode.REFUSED;
    }
  }
}
