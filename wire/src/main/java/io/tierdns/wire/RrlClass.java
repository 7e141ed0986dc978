package io.tierdns.wire;

/**
 * The response class of response rate limiting, read from an encoded response: which responses
 * share one rate towards a client ({@link ResponseRateLimiter}). As in BIND 9:
 *
 * <ul>
 *   <li>a NOERROR response with answers: its question name and type;
 *   <li>NXDOMAIN, and NOERROR without answers (NODATA, referral): the owner of the first authority
 *       record, the zone apex of the SOA or the delegation of the NS set, so a flood of random
 *       names in one zone is one class; the question name when there is no authority record;
 *   <li>any other rcode, or no question: one class of errors per client.
 * </ul>
 *
 * Names are compared case-insensitively (RFC 4343). Pure byte work: bounds-checked, and anything
 * unexpected falls into the error class.
 *
 * @see <a href="https://kb.isc.org/docs/aa-00994">ISC: Using the Response Rate Limiting Feature</a>
 */
final class RrlClass {

  static final long ERROR = 0x4552524f52L;

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private static final int NOERROR = 0;
  private static final int NXDOMAIN = 3;

  private RrlClass() {}

  /** The class of an encoded response. */
  static long of(byte[] m) {
    if (m.length < 12) {
      return ERROR;
    }
    int rcode = m[3] & 0x0F;
    if ((rcode != NOERROR && rcode != NXDOMAIN) || u16(m, 4) != 1) {
      return ERROR;
    }
    int answers = u16(m, 6);
    int authority = u16(m, 8);
    int qtypeAt = skipName(m, 12);
    if (qtypeAt < 0 || qtypeAt + 4 > m.length) {
      return ERROR;
    }
    if (rcode == NOERROR && answers > 0) {
      long h = name(m, 12, FNV_OFFSET ^ 'A');
      return step(step(h, m[qtypeAt]), m[qtypeAt + 1]);
    }
    long category = FNV_OFFSET ^ (rcode == NXDOMAIN ? 'X' : 'N');
    if (answers == 0 && authority > 0) {
      long h = name(m, qtypeAt + 4, category);
      if (h != 0) {
        return h;
      }
    }
    long h = name(m, 12, category);
    return h == 0 ? ERROR : h;
  }

  /** The hash of the name at {@code at}, pointers followed and letters lowercased; 0 if bad. */
  private static long name(byte[] m, int at, long h) {
    for (int jumps = 0; jumps < 128; jumps++) {
      if (at >= m.length) {
        return 0;
      }
      int label = m[at] & 0xFF;
      if ((label & 0xC0) == 0xC0) {
        if (at + 1 >= m.length) {
          return 0;
        }
        at = ((label & 0x3F) << 8) | (m[at + 1] & 0xFF);
        continue;
      }
      if (label > 63 || at + 1 + label > m.length) {
        return 0;
      }
      h = step(h, (byte) label);
      if (label == 0) {
        return h;
      }
      for (int i = at + 1; i <= at + label; i++) {
        h = step(h, PacketKey.lower(m[i]));
      }
      at += 1 + label;
    }
    return 0;
  }

  /** The offset after an uncompressed or compressed name, or -1. */
  private static int skipName(byte[] m, int at) {
    while (at < m.length) {
      int label = m[at] & 0xFF;
      if (label == 0) {
        return at + 1;
      }
      if ((label & 0xC0) == 0xC0) {
        return at + 2 <= m.length ? at + 2 : -1;
      }
      if (label > 63) {
        return -1;
      }
      at += 1 + label;
    }
    return -1;
  }

  private static long step(long h, byte b) {
    return (h ^ (b & 0xFF)) * FNV_PRIME;
  }

  private static int u16(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }
}
