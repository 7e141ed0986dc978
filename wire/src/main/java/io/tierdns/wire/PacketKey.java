package io.tierdns.wire;

import java.util.Arrays;

/**
 * The {@link PacketCache} key of a query, read from the raw bytes without dnsjava: the question
 * (name lowercased in wire form, type, class), everything in the query that shapes the response
 * (transport, header flags, EDNS0 present, DO bit, the size limit of the response) and the
 * handler's data generation ({@link QueryHandler#cacheGeneration()}).
 *
 * <p>Only a plain, well-formed standard query gets a key; {@link #parse} answers {@code null}
 * for anything else and the query takes the normal path, where dnsjava and {@link
 * MessageProcessor} apply every rule. A query has a key when:
 *
 * <ul>
 *   <li>QR, TC and the rcode bits are clear and the opcode is QUERY (RFC 1035 §4.1.1);
 *   <li>QDCOUNT is 1, ANCOUNT and NSCOUNT are 0, ARCOUNT is 0 or 1;
 *   <li>the name is uncompressed labels of at most 63 octets, at most 255 octets in all (RFC 1035
 *       §3.1), and the type is not a meta or q-type (128..254: AXFR, IXFR, TSIG, TKEY, MAILA...);
 *   <li>the one additional record, when there is one, is an OPT with the root owner, version 0,
 *       extended rcode 0, no flag but DO and no options (RFC 6891 §6.1.2; a cookie, padding or
 *       ECS option bypasses the cache), so a TSIG or SIG(0) query never has a key;
 *   <li>no byte follows the question or the OPT.
 * </ul>
 *
 * <p>Letters are lowercased for the key (RFC 4343 §3: ASCII only); the query's own spelling is
 * written back into the answer on a hit (DNS 0x20). The whole flags word is in the key, so RD,
 * CD, AD and any other bit a handler might echo select different entries.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1035#section-4.1">RFC 1035 §4.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6891#section-6.1">RFC 6891 §6.1</a>
 */
final class PacketKey {

  /** Bytes of the key before the question: transport, flags (2), EDNS, DO, size limit (2). */
  private static final int PREFIX = 7;

  private static final int HEADER = 12;
  private static final int MAX_NAME = 255;
  private static final int MAX_LABEL = 63;
  private static final int OPT_LENGTH = 11;
  private static final int TYPE_OPT = 41;
  private static final int DO_BIT = 0x8000;

  private final byte[] bytes;
  private final long generation;
  private final int nameLength;
  private final int hash;

  private PacketKey(byte[] bytes, long generation, int nameLength) {
    this.bytes = bytes;
    this.generation = generation;
    this.nameLength = nameLength;
    this.hash = 31 * Arrays.hashCode(bytes) + Long.hashCode(generation);
  }

  /**
   * The key of {@code wire}, or {@code null} when the query is not a plain standard query (see
   * the class comment) or {@code generation} is negative. Never throws, whatever the bytes.
   *
   * @param udpPayloadSize our EDNS0 payload size ({@link WireOptions#udpPayloadSize()})
   */
  static PacketKey parse(byte[] wire, Transport transport, int udpPayloadSize, long generation) {
    int length = wire.length;
    if (generation < 0 || length < HEADER + 5) {
      return null;
    }
    int flags = u16(wire, 2);
    // QR (0x8000), opcode (0x7800), TC (0x0200), rcode (0x000F): all must be clear.
    if ((flags & 0xFA0F) != 0) {
      return null;
    }
    if (u16(wire, 4) != 1 || u16(wire, 6) != 0 || u16(wire, 8) != 0 || u16(wire, 10) > 1) {
      return null;
    }
    int pos = HEADER;
    while (true) {
      if (pos >= length || pos - HEADER >= MAX_NAME) {
        return null;
      }
      int label = wire[pos] & 0xFF;
      if (label == 0) {
        pos++;
        break;
      }
      if (label > MAX_LABEL) {
        return null; // a compression pointer or an extended label type: not in a plain query
      }
      pos += 1 + label;
    }
    int nameLength = pos - HEADER;
    if (nameLength > MAX_NAME || pos + 4 > length) {
      return null;
    }
    int qtype = u16(wire, pos);
    if (qtype >= 128 && qtype <= 254) {
      return null;
    }
    pos += 4;
    boolean edns = u16(wire, 10) == 1;
    int limit;
    boolean dnssecOk = false;
    if (edns) {
      if (pos + OPT_LENGTH != length
          || wire[pos] != 0
          || u16(wire, pos + 1) != TYPE_OPT
          || wire[pos + 5] != 0 // extended rcode
          || wire[pos + 6] != 0 // version
          || (u16(wire, pos + 7) & ~DO_BIT) != 0
          || u16(wire, pos + 9) != 0) { // RDLENGTH: any option bypasses
        return null;
      }
      dnssecOk = (u16(wire, pos + 7) & DO_BIT) != 0;
      limit = MessageProcessor.sizeLimit(transport, true, u16(wire, pos + 3), udpPayloadSize);
    } else {
      if (pos != length) {
        return null;
      }
      limit = MessageProcessor.sizeLimit(transport, false, 0, udpPayloadSize);
    }
    byte[] key = new byte[PREFIX + nameLength + 4];
    key[0] = (byte) transport.ordinal();
    key[1] = wire[2];
    key[2] = wire[3];
    key[3] = (byte) (edns ? 1 : 0);
    key[4] = (byte) (dnssecOk ? 1 : 0);
    key[5] = (byte) (limit >>> 8);
    key[6] = (byte) limit;
    for (int i = 0; i < nameLength; i++) {
      key[PREFIX + i] = lower(wire[HEADER + i]);
    }
    System.arraycopy(wire, HEADER + nameLength, key, PREFIX + nameLength, 4);
    return new PacketKey(key, generation, nameLength);
  }

  /** ASCII lowercase; label length octets (at most 63) are never letters. */
  static byte lower(byte b) {
    return b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
  }

  private static int u16(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  /** The wire length of the question name, terminal zero octet included. */
  int nameLength() {
    return nameLength;
  }

  long generation() {
    return generation;
  }

  /** Approximate bytes this key holds on the heap, for the cache's weight. */
  int weight() {
    return bytes.length + 48;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PacketKey k
        && k.hash == hash
        && k.generation == generation
        && Arrays.equals(k.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "PacketKey[generation=" + generation + ", bytes=" + Arrays.toString(bytes) + "]";
  }
}
