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
