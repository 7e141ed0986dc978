package io.tierdns.wire;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

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
 * a hash look-up, and for one hit in {@link #READ_SAMPLE} its lock-free read buffer; no lock of
 * ours.
 *
 * <p>Answers whose TTLs age (a cache's, {@link QueryHandler#replaySeconds} above 0) are stored
 * with the time they were stored, the offsets of their TTL fields (every record but the OPT,
 * found once by walking the message) and a deadline: at most the handler's replay time and never
 * past the smallest TTL. A hit writes each TTL less the whole seconds passed since it was stored,
 * as Unbound's message cache and PowerDNS Recursor's packet cache do; at the deadline the entry
 * is a miss and the handler answers again.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1035#section-7.4">RFC 1035 §7.4</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-vixie-dnsext-dns0x20-00">DNS 0x20</a>
 */
final class PacketCache {

  /** Heap bytes of one entry besides the response and key (the cache's nodes, array header). */
  private static final int ENTRY_OVERHEAD = 80;

  /** Heap bytes of an {@link Entry} and its offsets' array header, besides the offsets. */
  private static final int AGING_OVERHEAD = 56;

  private static final int TYPE_TSIG = 250;

  private static final int TYPE_OPT = 41;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /**
   * A stored answer whose TTLs age: the offsets of its TTL fields, when it was stored and until
   * when it may be replayed (nanoTime). An answer replayed as it is (an authoritative one) is
   * stored as its bytes alone, without this record around them: one pointer fewer for a hit to
   * follow, and in a cache larger than the CPU's caches each pointer is a cache miss
   * (docs/benchmarks.md). The rcode and TC bit of either are read from the header.
   */
  record Entry(byte[] bytes, int[] ttlOffsets, long storedAt, long expiresAt) {}

  /**
   * One hit in this many is recorded in Caffeine's read buffer, which feeds its frequency sketch
   * and recency order: recording every hit was a compare-and-swap and a cache-line miss per
   * answer, about 4 % of a busy UDP listener's CPU (docs/benchmarks.md). A sample keeps the
   * relative frequencies that W-TinyLFU compares, so hot answers still win their place.
   */
  static final int READ_SAMPLE = 8;

  /** Values: a {@code byte[]} replayed as it is, or an {@link Entry} that ages. */
  private final Cache<PacketKey, Object> cache;

  private final Policy<PacketKey, Object> quiet;
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
            .weigher((PacketKey k, Object v) -> k.weight() + weight(v) + ENTRY_OVERHEAD)
            .executor(sweeper)
            .build();
    this.quiet = cache.policy();
  }

  PacketCache(long maxBytes, int udpPayloadSize) {
    this(maxBytes, udpPayloadSize, ForkJoinPool.commonPool());
  }

  /** The key of a query, or {@code null} when it must take the normal path. */
  PacketKey key(byte[] query, Transport transport, long generation) {
    return PacketKey.parse(query, transport, udpPayloadSize, generation);
  }

  private static int weight(Object stored) {
    if (stored instanceof Entry e) {
      return e.bytes().length + AGING_OVERHEAD + 4 * e.ttlOffsets().length;
    }
    return ((byte[]) stored).length;
  }

  /**
   * The stored answer to the query of {@code key}, patched for it, or {@code null} when there is
   * none that may be replayed at {@code now} (nanoTime; read only for an aging answer). The copy
   * has the query's ID and question spelling and, for an aging answer, its TTLs counted down by
   * the whole seconds since it was stored. Its rcode is {@link #rcode}, its TC bit {@link
   * #truncated}.
   */
  byte[] answer(PacketKey key, byte[] query, LongSupplier now) {
    return answer(lookUp(key), key, query, now);
  }

  /**
   * What is stored for {@code key}, or {@code null}: for {@link #answer(Object, PacketKey,
   * byte[], LongSupplier)}. Looking up the queries of a batch first and answering them after
   * lets the CPU wait for the memory of several look-ups at once.
   */
  Object lookUp(PacketKey key) {
    // One hit in READ_SAMPLE is recorded for the eviction policy; the others are quiet look-ups,
    // which skip Caffeine's read buffer (see READ_SAMPLE).
    return (ThreadLocalRandom.current().nextInt() & (READ_SAMPLE - 1)) == 0
        ? cache.getIfPresent(key)
        : quiet.getIfPresentQuietly(key);
  }

  /**
   * {@link #answer(PacketKey, byte[], LongSupplier)} from what {@link #lookUp} found for the
   * query's key, {@code null} when that was nothing or may not be replayed at {@code now}.
   */
  byte[] answer(Object stored, PacketKey key, byte[] query, LongSupplier now) {
    if (stored == null) {
      return null;
    }
    if (stored instanceof byte[] plain) {
      return patched(plain, key, query);
    }
    Entry entry = (Entry) stored;
    long at = now.getAsLong();
    if (at - entry.expiresAt() >= 0) {
      return null;
    }
    byte[] out = patched(entry.bytes(), key, query);
    long elapsed = (at - entry.storedAt()) / NANOS_PER_SECOND;
    if (elapsed <= 0) {
      return out;
    }
    for (int offset : entry.ttlOffsets()) {
      long ttl = u32(out, offset) - elapsed;
      writeU32(out, offset, ttl < 0 ? 0 : ttl);
    }
    return out;
  }

  private static byte[] patched(byte[] stored, PacketKey key, byte[] query) {
    byte[] out = stored.clone();
    out[0] = query[0];
    out[1] = query[1];
    System.arraycopy(query, 12, out, 12, key.nameLength());
    return out;
  }

  /** The rcode of an answer from {@link #answer}: only answers with a 4-bit rcode are stored. */
  static int rcode(byte[] answer) {
    return answer[3] & 0x0F;
  }

  /** Whether an answer from {@link #answer} has the TC bit. */
  static boolean truncated(byte[] answer) {
    return (answer[2] & 0x02) != 0;
  }

  /**
   * Stores the response to the query of {@code key} when it is safe to replay (see the class
   * comment); does nothing otherwise.
   *
   * @param response the encoded response exactly as sent; not modified afterwards by the caller
   * @return whether it was stored
   */
  boolean put(PacketKey key, byte[] query, byte[] response, int rcode) {
    return put(key, query, response, rcode, QueryHandler.REPLAY_UNTIL_CHANGE, 0);
  }

  /**
   * Stores the response like {@link #put(PacketKey, byte[], byte[], int)}, to be replayed as
   * {@code replaySeconds} says ({@link QueryHandler#replaySeconds}): 0 stores nothing, a positive
   * number stores an aging entry (see the class comment) unless a TTL in it is 0.
   *
   * @param now nanoTime when the response was made, the start of its aging
   */
  boolean put(
      PacketKey key, byte[] query, byte[] response, int rcode, int replaySeconds, long now) {
    // The rcode of a hit is read from the header, so an extended rcode (RFC 6891 §6.1.3: BADVERS,
    // BADCOOKIE; never for a query with a key) is not stored.
    if (replaySeconds == 0 || rcode != rcode(response) || !sameQuestion(key, query, response)) {
      return false;
    }
    int[] types = typeOffsets(response); // one walk serves the TSIG check and the TTL offsets
    if (lastRecordType(response, types) == TYPE_TSIG) {
      return false;
    }
    Object entry;
    if (replaySeconds < 0) {
      entry = response;
    } else {
      int[] offsets = ttlOffsets(response, types);
      if (offsets == null) {
        return false;
      }
      long seconds = replaySeconds;
      for (int at : offsets) {
        seconds = Math.min(seconds, u32(response, at));
      }
      if (seconds <= 0) {
        return false;
      }
      entry = new Entry(response, offsets, now, now + seconds * NANOS_PER_SECOND);
    }
    cache.put(key, entry);
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
    return lastRecordType(m, typeOffsets(m));
  }

  private static int lastRecordType(byte[] m, int[] types) {
    if (types == null) {
      return -1;
    }
    return types.length == 0 ? 0 : u16(m, types[types.length - 1]);
  }

  /**
   * The offsets of the TTL fields of every record of a message but OPT (whose TTL field holds the
   * extended rcode and flags), or {@code null} when the message cannot be walked.
   */
  static int[] ttlOffsets(byte[] m) {
    return ttlOffsets(m, typeOffsets(m));
  }

  private static int[] ttlOffsets(byte[] m, int[] types) {
    if (types == null) {
      return null;
    }
    int[] offsets = new int[types.length];
    int n = 0;
    for (int at : types) {
      if (u16(m, at) != TYPE_OPT) {
        offsets[n++] = at + 4;
      }
    }
    return n == offsets.length ? offsets : java.util.Arrays.copyOf(offsets, n);
  }

  /**
   * The offset of the TYPE field of every resource record of a message (questions skipped), or
   * {@code null} when the message cannot be walked. Names are skipped, not decoded.
   */
  private static int[] typeOffsets(byte[] m) {
    if (m.length < 12) {
      return null;
    }
    int questions = u16(m, 4);
    int records = u16(m, 6) + u16(m, 8) + u16(m, 10);
    int pos = 12;
    for (int i = 0; i < questions; i++) {
      pos = skipName(m, pos);
      if (pos < 0 || pos + 4 > m.length) {
        return null;
      }
      pos += 4;
    }
    int[] offsets = new int[records];
    for (int i = 0; i < records; i++) {
      pos = skipName(m, pos);
      if (pos < 0 || pos + 10 > m.length) {
        return null;
      }
      offsets[i] = pos;
      pos += 10 + u16(m, pos + 8);
      if (pos > m.length) {
        return null;
      }
    }
    return offsets;
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

  private static long u32(byte[] b, int at) {
    return ((long) u16(b, at) << 16) | u16(b, at + 2);
  }

  private static void writeU32(byte[] b, int at, long v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
