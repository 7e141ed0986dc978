package io.tierdns.wire;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Response rate limiting (RRL) for UDP, as BIND 9 and Knot DNS do it: each (client prefix,
 * response class) may receive {@code responsesPerSecond} responses per second; responses over the
 * rate are dropped, and every {@code slip}-th of them is sent instead as a small truncated answer
 * (TC=1), so a real client behind a spoofed flood retries over TCP and is still served.
 *
 * <p>Design note. A server answering UDP can be used to reflect and amplify traffic towards a
 * spoofed source. RRL bounds what any one victim can receive per kind of answer, without
 * bounding what a legitimate resolver asking different questions can receive. The client is its
 * IPv4 /24 or IPv6 /56 prefix, as in BIND, so an attacker cannot spread a flood over a victim's
 * neighbouring addresses; the response class ({@link RrlClass}) is the same name and type for
 * answers, the zone for NXDOMAIN and empty answers (so random-subdomain floods count as one), and
 * one class for all errors.
 *
 * <p>Each flow is a GCRA token bucket (generic cell rate algorithm) with a burst of one second's
 * worth of responses: one long per flow, its theoretical arrival time, updated by CAS, so the hot
 * path takes no lock and allocates nothing. Flows live in a fixed table of {@code tableSize}
 * slots, four-way set associative: a new flow takes the slot in its set that has been idle the
 * longest. A flood of spoofed sources therefore never grows memory; it can only push out idle
 * flows, while a flow being limited is busy and stays. Slot keys and slip counters are written
 * without synchronisation: a race between two threads can at worst let one response more through
 * or slip one less, as in Knot's table. Time is the injected nanosecond clock.
 *
 * @see <a href="https://kb.isc.org/docs/aa-00994">ISC: Using the Response Rate Limiting Feature</a>
 * @see <a href="https://www.knot-dns.cz/docs/latest/html/reference.html#rate-limit">Knot DNS
 *     rate-limit</a>
 */
final class ResponseRateLimiter {

  /** What to do with a response. */
  enum Verdict {
    /** Within the rate: send it. */
    PASS,
    /** Over the rate: send nothing. */
    DROP,
    /** Over the rate: send a truncated, empty answer instead. */
    SLIP
  }

  private static final int WAYS = 4;
  static final int MAX_TABLE = 1 << 24;
  private static final long SECOND = 1_000_000_000L;

  private final long interval;
  private final long tolerance;
  private final int slip;
  private final LongSupplier nanoClock;
  private final long seed;
  private final int setMask;
  private final long[] keys;
  private final AtomicLongArray arrivals;
  private final int[] slips;

  /**
   * @param responsesPerSecond responses per flow per second, at least 1; also the burst
   * @param slip 0 never slips, 1 slips every limited response, N every N-th
   * @param tableSize flows tracked (rounded up to a power of two, at least 4)
   * @param nanoClock monotonic nanoseconds ({@link System#nanoTime} outside tests)
   * @param seed mixes into the slot hash, so an attacker cannot aim at one set
   */
  ResponseRateLimiter(
      int responsesPerSecond, int slip, int tableSize, LongSupplier nanoClock, long seed) {
    if (responsesPerSecond < 1 || responsesPerSecond > 1_000_000) {
      throw new IllegalArgumentException(
          "responsesPerSecond must be between 1 and 1000000, got " + responsesPerSecond);
    }
    if (slip < 0) {
      throw new IllegalArgumentException("slip must not be negative, got " + slip);
    }
    this.interval = SECOND / responsesPerSecond;
    this.tolerance = interval * (responsesPerSecond - 1);
    this.slip = slip;
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.seed = seed;
    if (tableSize < 1 || tableSize > MAX_TABLE) {
      throw new IllegalArgumentException(
          "tableSize must be between 1 and " + MAX_TABLE + ", got " + tableSize);
    }
    int size = WAYS;
    while (size < tableSize) {
      size <<= 1;
    }
    this.setMask = size / WAYS - 1;
    this.keys = new long[size];
    this.arrivals = new AtomicLongArray(size);
    this.slips = new int[size];
  }

  /** Flows the table can hold. */
  int capacity() {
    return keys.length;
  }

  /** Slots in use (a slot is never freed, only reused), for tests and diagnostics. */
  int used() {
    int n = 0;
    for (long k : keys) {
      if (k != 0) {
        n++;
      }
    }
    return n;
  }

  /**
   * Accounts one response to {@code client} of class {@code responseClass}.
   *
   * @param client the client's address bytes (4 for IPv4, 16 for IPv6)
   * @param responseClass {@link RrlClass#of} of the response
   */
  Verdict check(byte[] client, long responseClass) {
    long key = key(client, responseClass);
    long now = nanoClock.getAsLong();
    int base = (int) (mix(key) & setMask) * WAYS;
    int victim = -1;
    long victimIdle = Long.MIN_VALUE;
    for (int i = base; i < base + WAYS; i++) {
      long k = keys[i];
      if (k == key) {
        return account(i, now);
      }
      long idle = k == 0 ? Long.MAX_VALUE : now - arrivals.get(i);
      if (victim < 0 || idle > victimIdle) {
        victim = i;
        victimIdle = idle;
      }
    }
    // A new flow: it takes the slot idle the longest, and its first response is within the rate.
    keys[victim] = key;
    slips[victim] = 0;
    arrivals.set(victim, now + interval);
    return Verdict.PASS;
  }

  private Verdict account(int slot, long now) {
    while (true) {
      long tat = arrivals.get(slot);
      long start = tat - now < 0 ? now : tat; // compared by difference: nanoTime may be negative
      if (start - now > tolerance) {
        return overRate(slot);
      }
      if (arrivals.compareAndSet(slot, tat, start + interval)) {
        return Verdict.PASS;
      }
    }
  }

  private Verdict overRate(int slot) {
    if (slip == 0) {
      return Verdict.DROP;
    }
    int n = ++slips[slot];
    if (n >= slip) {
      slips[slot] = 0;
      return Verdict.SLIP;
    }
    return Verdict.DROP;
  }

  /** The flow key: the client's /24 or /56 prefix, its family, and the response class; never 0. */
  private long key(byte[] client, long responseClass) {
    long prefix;
    if (client.length == 4) {
      prefix =
          0x4L << 56 | (client[0] & 0xFFL) << 16 | (client[1] & 0xFFL) << 8 | (client[2] & 0xFF);
    } else {
      prefix = 0x6L << 56 | SipHash.littleEndian(client, 0, 7);
    }
    long key = mix(mix(prefix ^ seed) ^ responseClass);
    return key == 0 ? 1 : key;
  }

  /** The MurmurHash3 64-bit finaliser. */
  static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
