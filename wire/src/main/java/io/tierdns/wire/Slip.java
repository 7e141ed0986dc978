package io.tierdns.wire;

/**
 * The slipped form of a response that response rate limiting holds back: its header and question
 * with TC set and every other section empty, plus its OPT record without options when it had one
 * (RFC 6891 §7). No larger than the query, so it amplifies nothing, and a real client seeing TC
 * retries over TCP, which is never rate limited (BIND 9 and Knot DNS "slip").
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1035#section-7.3">RFC 1035 §7.3</a>
 */
final class Slip {

  /** The fixed part of an OPT record with the root owner: owner, type, class, TTL, RDLENGTH. */
  private static final int OPT_FIXED = 11;

  private Slip() {}

  /** The slipped response; the header alone when the question cannot be read. */
  static byte[] of(byte[] response) {
    int questionEnd = 12;
    if (u16(response, 4) == 1) {
      int end = nameEnd(response, 12);
      questionEnd = end < 0 || end + 4 > response.length ? -1 : end + 4;
    }
    int rdata = OptScrubber.optRdata(response);
    boolean opt = rdata >= OPT_FIXED && response[rdata - OPT_FIXED] == 0;
    int questions = questionEnd < 0 ? 0 : 1;
    int head = questionEnd < 0 ? 12 : questionEnd;
    byte[] out = new byte[head + (opt ? OPT_FIXED : 0)];
    System.arraycopy(response, 0, out, 0, head);
    out[2] |= 0x02; // TC
    out[4] = 0;
    out[5] = (byte) questions;
    for (int i = 6; i < 12; i++) {
      out[i] = 0;
    }
    if (opt) {
      System.arraycopy(response, rdata - OPT_FIXED, out, head, OPT_FIXED);
      out[head + OPT_FIXED - 2] = 0; // RDLENGTH: no options
      out[head + OPT_FIXED - 1] = 0;
      out[11] = 1;
    }
    return out;
  }

  /** The end of the uncompressed question name at {@code at}, or -1. */
  private static int nameEnd(byte[] m, int at) {
    while (at < m.length) {
      int label = m[at] & 0xFF;
      if (label == 0) {
        return at + 1;
      }
      if (label > 63) {
        return -1;
      }
      at += 1 + label;
    }
    return -1;
  }

  private static int u16(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }
}
