package io.tierdns.wire;

/**
 * Removes the options of a query's OPT record, for a second parse when dnsjava rejects an option
 * it knows but finds malformed (an EDE option shorter than its 2-byte code, say). RFC 6891 §6.1.2
 * asks servers to ignore options they do not understand; a query should not get FORMERR for an
 * option that means nothing in a query. Pure byte work, bounds-checked: anything unexpected
 * returns {@code null} and the caller answers FORMERR as before.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6891#section-6.1.2">RFC 6891 §6.1.2</a>
 */
final class OptScrubber {

  private static final int OPT = 41;
  private static final int COOKIE = 10;

  private OptScrubber() {}

  /** The query with the OPT record's RDATA emptied, or {@code null} when there is none to empty. */
  static byte[] withoutOptions(byte[] wire) {
    if (wire.length < 12) {
      return null;
    }
    int[] counts = {u16(wire, 4), u16(wire, 6), u16(wire, 8), u16(wire, 10)};
    int at = 12;
    for (int i = 0; i < counts[0]; i++) {
      at = skipName(wire, at);
      if (at < 0 || at + 4 > wire.length) {
        return null;
      }
      at += 4;
    }
    int records = counts[1] + counts[2] + counts[3];
    for (int i = 0; i < records; i++) {
      int owner = at;
      at = skipName(wire, at);
      if (at < 0 || at + 10 > wire.length) {
        return null;
      }
      int type = u16(wire, at);
      int rdlength = u16(wire, at + 8);
      int rdata = at + 10;
      if (rdata + rdlength > wire.length) {
        return null;
      }
      if (type == OPT && i >= counts[1] + counts[2] && rdlength > 0 && wire[owner] == 0) {
        byte[] out = new byte[wire.length - rdlength];
        System.arraycopy(wire, 0, out, 0, rdata);
        System.arraycopy(wire, rdata + rdlength, out, rdata, wire.length - rdata - rdlength);
        out[at + 8] = 0;
        out[at + 9] = 0;
        return out;
      }
      at = rdata + rdlength;
    }
    return null;
  }

  /**
   * Whether the query's OPT carries a COOKIE option of a length RFC 7873 §5.2.2 calls malformed:
   * not 8 (client cookie alone) and not 16..40 (client and server cookie). dnsjava refuses to
   * parse such an option, so the caller learns of it only after {@link #withoutOptions}; the
   * answer is FORMERR rather than silently ignoring the option.
   */
  static boolean malformedCookie(byte[] wire) {
    int rdata = optRdata(wire);
    if (rdata < 0) {
      return false;
    }
    int end = rdata + u16(wire, rdata - 2);
    for (int at = rdata; at + 4 <= end; ) {
      int code = u16(wire, at);
      int length = u16(wire, at + 2);
      if (code == COOKIE && length != 8 && (length < 16 || length > 40)) {
        return true;
      }
      at += 4 + length;
    }
    return false;
  }

  /**
   * The offset of the RDATA of the OPT record in the additional section (its RDLENGTH is at the
   * offset minus 2), or -1.
   */
  static int optRdata(byte[] wire) {
    if (wire.length < 12) {
      return -1;
    }
    int at = 12;
    for (int i = 0; i < u16(wire, 4); i++) {
      at = skipName(wire, at);
      if (at < 0 || at + 4 > wire.length) {
        return -1;
      }
      at += 4;
    }
    int answerAndAuthority = u16(wire, 6) + u16(wire, 8);
    int records = answerAndAuthority + u16(wire, 10);
    for (int i = 0; i < records; i++) {
      at = skipName(wire, at);
      if (at < 0 || at + 10 > wire.length) {
        return -1;
      }
      int rdata = at + 10;
      int rdlength = u16(wire, at + 8);
      if (rdata + rdlength > wire.length) {
        return -1;
      }
      if (u16(wire, at) == OPT && i >= answerAndAuthority) {
        return rdata;
      }
      at = rdata + rdlength;
    }
    return -1;
  }

  /** The offset after a (possibly compressed) name, or -1. */
  private static int skipName(byte[] wire, int at) {
    for (int labels = 0; labels < 128 && at < wire.length; labels++) {
      int len = wire[at] & 0xFF;
      if (len == 0) {
        return at + 1;
      }
      if ((len & 0xC0) == 0xC0) {
        return at + 2 <= wire.length ? at + 2 : -1;
      }
      if ((len & 0xC0) != 0) {
        return -1;
      }
      at += 1 + len;
    }
    return -1;
  }

  private static int u16(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }
}
