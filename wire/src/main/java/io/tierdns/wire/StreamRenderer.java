package io.tierdns.wire;

import java.util.Arrays;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/**
 * Renders the messages of a response stream (a zone transfer) to the exact bytes dnsjava's {@link
 * Message#toWire()} and {@link Message#toWire(int)} give, in time linear in the message's size.
 *
 * <p>Design note. dnsjava keeps a message's records in a linked list that {@code toWire(int)}
 * reads by index, and its name compression table has 17 hash chains that every owner name walks
 * and extends: rendering a message of n records costs about n² steps, which made rendering most of
 * a million-record AXFR's time (issue 8). This renderer walks each section once with its
 * iterator and keeps the compression offsets in an open-addressing table keyed by a
 * case-insensitive hash of each name suffix; a candidate suffix is compared with the bytes already
 * written (following compression pointers), never with a {@link Name} built for the purpose. It
 * makes dnsjava's choices, so the bytes are the same: every suffix not yet written is remembered
 * where it starts, if that is within a pointer's reach (0x3FFF); the owner names and the names in
 * the RDATA of NS, CNAME, PTR, MX and SOA records are compressed, every other RDATA is written as
 * dnsjava writes it uncompressed. {@code StreamRendererTest} checks the sameness over every record
 * type the zone fixtures hold, letter case and pointer limits included.
 *
 * <p>Not thread-safe: one renderer per stream, reused for each of its messages.
 */
final class StreamRenderer {

  private static final int MAX_POINTER = 0x3FFF;

  private byte[] out = new byte[16 * 1024];
  private int pos;

  /** Compression table: output offset + 1 of a remembered suffix (0 = free), and its hash. */
  private int[] offsets = new int[1024];
  private int[] hashes = new int[1024];
  private int entries;

  /** Per-name scratch: label starts and suffix hashes of the name being written. */
  private final int[] labelStart = new int[128];
  private final int[] suffixHash = new int[128];

  /**
   * The bytes of {@code message} as {@link Message#toWire(int)} renders them when everything fits
   * in {@code maxLength}: the OPT record last, uncompressed. Returns {@code null} when the message
   * does not fit, so the caller lets dnsjava truncate it. The message must not carry a key set
   * with {@link Message#setTSIG}: this renderer does not sign.
   */
  byte[] render(Message message, int maxLength) {
    start(message);
    int optsSkipped = 0;
    for (int section = Section.QUESTION; section <= Section.ADDITIONAL; section++) {
      for (Record r : message.getSection(section)) {
        if (section == Section.ADDITIONAL && r instanceof OPTRecord) {
          optsSkipped++;
          continue;
        }
        record(r, section);
      }
    }
    OPTRecord opt = message.getOPT();
    if (opt != null) {
      put(opt.toWire(Section.ADDITIONAL));
    }
    if (pos > maxLength) {
      return null;
    }
    int additional = message.getHeader().getCount(Section.ADDITIONAL);
    int rendered = additional - optsSkipped + (opt != null ? 1 : 0);
    if (rendered != additional) {
      putU16At(10, rendered);
    }
    return Arrays.copyOf(out, pos);
  }

  /** The bytes of {@code message} as {@link Message#toWire()} renders them: every record in order. */
  byte[] render(Message message) {
    start(message);
    for (int section = Section.QUESTION; section <= Section.ADDITIONAL; section++) {
      for (Record r : message.getSection(section)) {
        record(r, section);
      }
    }
    return Arrays.copyOf(out, pos);
  }

  /**
   * {@code record} added at the end of the message rendered last by {@link #render(Message)}, with
   * the same compression and the section's count raised by one: the TSIG record of a signed
   * stream, as dnsjava's {@code Message.toWire()} renders it after {@code TSIG.StreamGenerator}
   * added it.
   */
  byte[] append(Record record, int section) {
    record(record, section);
    int at = 4 + 2 * section;
    putU16At(at, (((out[at] & 0xFF) << 8) | (out[at + 1] & 0xFF)) + 1);
    return Arrays.copyOf(out, pos);
  }

  private void start(Message message) {
    pos = 0;
    if (entries > 0) {
      Arrays.fill(offsets, 0);
      entries = 0;
    }
    put(message.getHeader().toWire());
  }

  /** One record as dnsjava's {@code Record.toWire(DNSOutput, int, Compression)} writes it. */
  private void record(Record r, int section) {
    name(r.getName());
    putU16(r.getType());
    putU16(r.getDClass());
    if (section == Section.QUESTION) {
      return;
    }
    putU32(r.getTTL());
    int lengthAt = pos;
    putU16(0);
    if (r instanceof NSRecord ns) {
      name(ns.getTarget());
    } else if (r instanceof CNAMERecord cname) {
      name(cname.getTarget());
    } else if (r instanceof PTRRecord ptr) {
      name(ptr.getTarget());
    } else if (r instanceof MXRecord mx) {
      putU16(mx.getPriority());
      name(mx.getTarget());
    } else if (r instanceof SOARecord soa) {
      name(soa.getHost());
      name(soa.getAdmin());
      putU32(soa.getSerial());
      putU32(soa.getRefresh());
      putU32(soa.getRetry());
      putU32(soa.getExpire());
      putU32(soa.getMinimum());
    } else if (r instanceof ARecord || r instanceof AAAARecord || r instanceof TXTRecord) {
      // No names in the RDATA: the canonical form is the form (and the bulk of a large zone).
      put(r.rdataToWireCanonical());
    } else {
      // Uncompressed RDATA, as dnsjava writes every other type: the record without compression,
      // less its owner and fixed fields.
      byte[] whole = r.toWire(Section.ANSWER);
      int skip = r.getName().length() + 10;
      put(whole, skip, whole.length - skip);
    }
    putU16At(lengthAt, pos - lengthAt - 2);
  }

  /** A name, compressed as dnsjava's {@code Name.toWire(DNSOutput, Compression)} does. */
  private void name(Name name) {
    if (!name.isAbsolute()) {
      throw new IllegalArgumentException("toWire() called on non-absolute name");
    }
    int labels = name.labels();
    if (labels == 1) {
      putU8(0);
      return;
    }
    byte[] wire = wire(name);
    for (int i = 0, at = 0; i < labels; i++) {
      labelStart[i] = at;
      at += wire[at] + 1;
    }
    int h = 0;
    for (int i = labels - 2; i >= 0; i--) {
      h = mix(h, wire, labelStart[i]);
      suffixHash[i] = h;
    }
    for (int i = 0; i < labels - 1; i++) {
      int found = find(wire, labelStart[i], suffixHash[i]);
      if (found >= 0) {
        putU16(0xC000 | found);
        return;
      }
      if (pos <= MAX_POINTER) {
        remember(pos, suffixHash[i]);
      }
      int at = labelStart[i];
      put(wire, at, wire[at] + 1);
    }
    putU8(0);
  }

  /**
   * A name's uncompressed bytes in its own letter case. A name already in lower case (most are)
   * is copied once; {@link Name#toWire()} would build a {@link Name} for each of its suffixes.
   */
  private static byte[] wire(Name name) {
    return name.canonicalize() == name ? name.toWireCanonical() : name.toWire();
  }

  /** The hash of a label (its length octet and lower-cased bytes) followed by a suffix's hash. */
  private static int mix(int suffix, byte[] wire, int at) {
    int len = wire[at];
    int h = len;
    for (int k = 1; k <= len; k++) {
      h = 31 * h + lower(wire[at + k]);
    }
    h = h * 0x9E3779B1 + suffix;
    return h ^ (h >>> 15);
  }

  private int find(byte[] wire, int at, int hash) {
    int mask = offsets.length - 1;
    for (int slot = hash & mask; offsets[slot] != 0; slot = (slot + 1) & mask) {
      if (hashes[slot] == hash && sameName(wire, at, offsets[slot] - 1)) {
        return offsets[slot] - 1;
      }
    }
    return -1;
  }

  private void remember(int offset, int hash) {
    if ((entries + 1) * 2 > offsets.length) {
      grow();
    }
    int mask = offsets.length - 1;
    int slot = hash & mask;
    while (offsets[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    offsets[slot] = offset + 1;
    hashes[slot] = hash;
    entries++;
  }

  private void grow() {
    int[] oldOffsets = offsets;
    int[] oldHashes = hashes;
    offsets = new int[oldOffsets.length * 2];
    hashes = new int[oldOffsets.length * 2];
    int mask = offsets.length - 1;
    for (int i = 0; i < oldOffsets.length; i++) {
      if (oldOffsets[i] != 0) {
        int slot = oldHashes[i] & mask;
        while (offsets[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        offsets[slot] = oldOffsets[i];
        hashes[slot] = oldHashes[i];
      }
    }
  }

  /**
   * Whether the uncompressed name suffix at {@code wire[at]} equals, ignoring ASCII case as {@link
   * Name#equals} does, the name written at {@code offset} (which may end in a pointer).
   */
  private boolean sameName(byte[] wire, int at, int offset) {
    int p = offset;
    while (true) {
      while ((out[p] & 0xC0) == 0xC0) {
        p = ((out[p] & 0x3F) << 8) | (out[p + 1] & 0xFF);
      }
      int len = wire[at];
      if (out[p] != len) {
        return false;
      }
      if (len == 0) {
        return true;
      }
      for (int k = 1; k <= len; k++) {
        if (lower(wire[at + k]) != lower(out[p + k])) {
          return false;
        }
      }
      at += len + 1;
      p += len + 1;
    }
  }

  private static int lower(byte b) {
    return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
  }

  private void ensure(int n) {
    if (pos + n > out.length) {
      out = Arrays.copyOf(out, Math.max(out.length * 2, pos + n));
    }
  }

  private void put(byte[] b) {
    put(b, 0, b.length);
  }

  private void put(byte[] b, int from, int length) {
    ensure(length);
    System.arraycopy(b, from, out, pos, length);
    pos += length;
  }

  private void putU8(int v) {
    ensure(1);
    out[pos++] = (byte) v;
  }

  private void putU16(int v) {
    ensure(2);
    out[pos++] = (byte) (v >>> 8);
    out[pos++] = (byte) v;
  }

  private void putU32(long v) {
    ensure(4);
    out[pos++] = (byte) (v >>> 24);
    out[pos++] = (byte) (v >>> 16);
    out[pos++] = (byte) (v >>> 8);
    out[pos++] = (byte) v;
  }

  private void putU16At(int at, int v) {
    out[at] = (byte) (v >>> 8);
    out[at + 1] = (byte) v;
  }
}
