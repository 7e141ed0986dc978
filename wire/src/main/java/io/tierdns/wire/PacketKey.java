package io.tierdns.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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

  /**
   * Key bytes held in the key's own fields ({@link #w0} to {@link #w5}): a look-up compares the
   * stored key without following a pointer to an array, one cache miss fewer per answer in a
   * packet cache too large for the CPU's caches (docs/benchmarks.md). Longer keys keep an array.
   */
  private static final int INLINE = 48;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final long w0;
  private final long w1;
  private final long w2;
  private final long w3;
  private final long w4;
  private final long w5;

  /** The whole key when it is longer than {@link #INLINE} bytes, else {@code null}. */
  private final byte[] longKey;

  private final long generation;
  private final int length;
  private final int nameLength;
  private final int hash;

  /**
   * A key of more than {@link #INLINE} bytes.
   *
   * @param key the key's bytes, {@code length} long
   */
  private PacketKey(byte[] key, int length, long generation, int nameLength) {
    this(
        (long) LONGS.get(key, 0),
        (long) LONGS.get(key, 8),
        (long) LONGS.get(key, 16),
        (long) LONGS.get(key, 24),
        (long) LONGS.get(key, 32),
        (long) LONGS.get(key, 40),
        key,
        length,
        generation,
        nameLength);
  }

  /**
   * @param longKey the whole key when it is longer than {@link #INLINE} bytes, else {@code null}
   *     and the key is in {@code w0} to {@code w5}, zero beyond {@code length}
   */
  private PacketKey(
      long w0,
      long w1,
      long w2,
      long w3,
      long w4,
      long w5,
      byte[] longKey,
      int length,
      long generation,
      int nameLength) {
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
    this.w3 = w3;
    this.w4 = w4;
    this.w5 = w5;
    this.longKey = longKey;
    this.length = length;
    this.generation = generation;
    this.nameLength = nameLength;
    long h = generation * 0x9E3779B97F4A7C15L + length;
    if (longKey == null) {
      h = mix(mix(mix(mix(mix(mix(h, w0), w1), w2), w3), w4), w5);
    } else {
      h = mix(h, Arrays.hashCode(longKey));
    }
    this.hash = (int) (h ^ (h >>> 32));
  }

  private static long mix(long h, long w) {
    h = (h ^ w) * 0xBF58476D1CE4E5B9L;
    return h ^ (h >>> 29);
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
    int keyLength = PREFIX + nameLength + 4;
    // The key's first PREFIX bytes, byte 0 lowest (the little-endian order of LONGS).
    long prefix =
        transport.ordinal()
            | (wire[2] & 0xFFL) << 8
            | (wire[3] & 0xFFL) << 16
            | (edns ? 1L : 0L) << 24
            | (dnssecOk ? 1L : 0L) << 32
            | ((limit >>> 8) & 0xFFL) << 40
            | (limit & 0xFFL) << 48;
    if (keyLength > INLINE) {
      byte[] key = new byte[keyLength];
      for (int i = 0; i < PREFIX; i++) {
        key[i] = (byte) (prefix >>> (8 * i));
      }
      for (int i = PREFIX; i < keyLength; i++) {
        key[i] = keyByte(wire, i, nameLength);
      }
      return new PacketKey(key, keyLength, generation, nameLength);
    }
    // A key that fits the fields is packed into them straight from the query: no array. Key byte
    // 7, the top of w0, always exists: the name (at least its root octet) follows the prefix.
    return new PacketKey(
        prefix | (keyByte(wire, PREFIX, nameLength) & 0xFFL) << 56,
        word(wire, 1, keyLength, nameLength),
        word(wire, 2, keyLength, nameLength),
        word(wire, 3, keyLength, nameLength),
        word(wire, 4, keyLength, nameLength),
        word(wire, 5, keyLength, nameLength),
        null,
        keyLength,
        generation,
        nameLength);
  }

  /**
   * Key byte {@code i} (at least {@link #PREFIX}): the question's byte at the same place, the
   * name lowercased.
   */
  private static byte keyByte(byte[] wire, int i, int nameLength) {
    byte b = wire[HEADER - PREFIX + i];
    return i < PREFIX + nameLength ? lower(b) : b;
  }

  /** The key's bytes {@code 8 * w} to {@code 8 * w + 7} (w at least 1), zero beyond its end. */
  private static long word(byte[] wire, int w, int keyLength, int nameLength) {
    long word = 0;
    int end = Math.min(8 * w + 8, keyLength);
    for (int i = 8 * w; i < end; i++) {
      word |= (keyByte(wire, i, nameLength) & 0xFFL) << (8 * (i - 8 * w));
    }
    return word;
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
    return longKey == null ? 88 : 88 + 16 + longKey.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PacketKey k
        && k.hash == hash
        && k.length == length
        && k.generation == generation
        && k.w0 == w0
        && k.w1 == w1
        && k.w2 == w2
        && k.w3 == w3
        && k.w4 == w4
        && k.w5 == w5
        && Arrays.equals(k.longKey, longKey);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    byte[] bytes = longKey;
    if (bytes == null) {
      bytes = new byte[INLINE];
      long[] words = {w0, w1, w2, w3, w4, w5};
      for (int i = 0; i < words.length; i++) {
        LONGS.set(bytes, i * 8, words[i]);
      }
    }
    return "PacketKey[generation="
        + generation
        + ", bytes="
        + Arrays.toString(Arrays.copyOf(bytes, length))
        + "]";
  }
}
