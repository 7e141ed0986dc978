package io.tierdns.wire;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Encoded responses keyed by the question and the query's response-shaping bits ({@link
 * PacketKey}), so that a repeated query is answered by copying bytes, with no dnsjava parse, no
 * handler call and no rendering.
 *
 * <p>Design note. A hit copies the stored response, writes the query's ID over the stored one and
 * the query's question name over the stored name (same length, only the letter case can differ,
 * DNS 0x20 — and the name compression pointers of the answer point at that name, so owner names
 * follow the query's spelling exactly as a fresh rendering does). Invalidation is by generation:
 * the key carries the handler's {@link QueryHandler#cacheGeneration()} read before the handler
 * ran, a data change moves the generation, and entries of older generations can no longer be
 * found; they are swept in the background when a newer generation is first stored, and the
 * weight bound evicts them anyway. A response is stored only when it is safe to patch: exactly
 * one question, equal to the query's but for letter case, and no TSIG record at the end (a signed
 * response cannot be replayed). Caffeine's bounded cache is the only shared structure: a hit is
 * a hash look-up plus its lock-free read buffer, no lock of ours.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1035#section-7.4">RFC 1035 §7.4</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-vixie-dnsext-dns0x20-00">DNS 0x20</a>
 */
final class PacketCache {

  /** Heap bytes of one entry besides the response and key bytes (node, value, array headers). */
  private static final int ENTRY_OVERHEAD = 96;

  private static final int TYPE_TSIG = 250;

  /** A stored response with what the observer needs to report a hit. */
  record Entry(byte[] bytes, int rcode, boolean truncated) {}

  private final Cache<PacketKey, Entry> cache;
  private final int udpPayloadSize;
  private final Executor sweeper;
  private final AtomicLong newestGeneration = new AtomicLong(-1);

  /**
   * @param maxBytes approximate heap the entries may take
   * @param udpPayloadSize our EDNS0 payload size, which caps the size limit of UDP keys
   * @param sweeper where entries of an older generation are removed, off the serving path
   */
  PacketCache(long maxBytes, int udpPayloadSize, Executor sweeper) {
    this.udpPayloadSize = udpPayloadSize;
    this.sweeper = sweeper;
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((PacketKey k, Entry e) -> k.weight() + e.bytes().length + ENTRY_OVERHEAD)
            .executor(sweeper)
            .build();
  }

  PacketCache(long maxBytes, int udpPayloadSize) {
    this(maxBytes, udpPayloadSize, ForkJoinPool.commonPool());
  }

  /** The key of a query, or {@code null} when it must take the normal path. */
  PacketKey key(byte[] query, Transport transport, long generation) {
    return PacketKey.parse(query, transport, udpPayloadSize, generation);
  }

  /** The stored entry for {@code key}, or {@code null}. */
  Entry get(PacketKey key) {
    return cache.getIfPresent(key);
  }

  /** A copy of the entry's response with the query's ID and question spelling patched in. */
  static byte[] answer(Entry entry, PacketKey key, byte[] query) {
    byte[] out = entry.bytes().clone();
    out[0] = query[0];
    out[1] = query[1];
    System.arraycopy(query, 12, out, 12, key.nameLength());
    return out;
  }

  /**
   * Stores the response to the query of {@code key} when it is safe to replay (see the class
   * comment); does nothing otherwise.
   *
   * @param response the encoded response exactly as sent; not modified afterwards by the caller
   * @return whether it was stored
   */
  boolean put(PacketKey key, byte[] query, byte[] response, int rcode) {
    if (!sameQuestion(key, query, response) || lastRecordType(response) == TYPE_TSIG) {
      return false;
    }
    cache.put(key, new Entry(response, rcode, (response[2] & 0x02) != 0));
    long generation = key.generation();
    long newest = newestGeneration.get();
    if (generation > newest && newestGeneration.compareAndSet(newest, generation) && newest >= 0) {
      sweeper.execute(() -> cache.asMap().keySet().removeIf(k -> k.generation() < generation));
    }
    return true;
  }

  /** Entries right now (approximate), for tests and diagnostics. */
  long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  void clear() {
    cache.invalidateAll();
  }

  /** QDCOUNT 1 and the question of the response equal to the query's but for letter case. */
  private static boolean sameQuestion(PacketKey key, byte[] query, byte[] response) {
    int n = key.nameLength();
    if (response.length < 12 + n + 4 || response[4] != 0 || response[5] != 1) {
      return false;
    }
    for (int i = 12; i < 12 + n; i++) {
      if (PacketKey.lower(response[i]) != PacketKey.lower(query[i])) {
        return false;
      }
    }
    for (int i = 12 + n; i < 12 + n + 4; i++) {
      if (response[i] != query[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The type of the last record of a message, {@code 0} when it has none, {@code -1} when the
   * message cannot be walked. Names are skipped, not decoded.
   */
  static int lastRecordType(byte[] m) {
    if (m.length < 12) {
      return -1;
    }
    int questions = u16(m, 4);
    int records = u16(m, 6) + u16(m, 8) + u16(m, 10);
    int pos = 12;
    for (int i = 0; i < questions; i++) {
      pos = skipName(m, pos);
      if (pos < 0 || pos + 4 > m.length) {
        return -1;
      }
      pos += 4;
    }
    int type = 0;
    for (int i = 0; i < records; i++) {
      pos = skipName(m, pos);
      if (pos < 0 || pos + 10 > m.length) {
        return -1;
      }
      type = u16(m, pos);
      pos += 10 + u16(m, pos + 8);
      if (pos > m.length) {
        return -1;
      }
    }
    return type;
  }

  /** The position after the name at {@code pos}, or -1. */
  private static int skipName(byte[] m, int pos) {
    while (pos < m.length) {
      int label = m[pos] & 0xFF;
      if (label == 0) {
        return pos + 1;
      }
      if ((label & 0xC0) == 0xC0) {
        return pos + 2 <= m.length ? pos + 2 : -1;
      }
      if (label > 63) {
        return -1;
      }
      pos += 1 + label;
    }
    return -1;
  }

  private static int u16(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }
}
