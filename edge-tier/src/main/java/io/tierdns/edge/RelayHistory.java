package io.tierdns.edge;

import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.edit.ZoneHistory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;

/**
 * The differences a subscribed cache received for one zone, kept in memory so that caches
 * subscribed to it can follow by IXFR the same way (RFC 1995 §4): the relay's "journal".
 *
 * <p>Bounded by a number of differences and a number of records; the oldest go first, after which
 * a downstream cache that is further behind gets no incremental answer and flushes the zone. A
 * gap (a full transfer or a failed one upstream) empties it: what changed across the gap is
 * unknown, so no downstream can be told incrementally.
 *
 * <p>Thread-safe: one lock, held for list operations only.
 */
public final class RelayHistory implements ZoneHistory {

  /** Differences kept by default. */
  public static final int DEFAULT_MAX_DIFFS = 256;

  /** Records (removed plus added, over all kept differences) kept by default. */
  public static final int DEFAULT_MAX_RECORDS = 100_000;

  private final Name zone;
  private final int maxDiffs;
  private final int maxRecords;
  private final Deque<ZoneDiff> diffs = new ArrayDeque<>();
  private int records;
  private SOARecord current;

  public RelayHistory(Name zone, int maxDiffs, int maxRecords) {
    this.zone = Objects.requireNonNull(zone, "zone").canonicalize();
    if (maxDiffs < 1 || maxRecords < 1) {
      throw new IllegalArgumentException("relay bounds must be positive");
    }
    this.maxDiffs = maxDiffs;
    this.maxRecords = maxRecords;
  }

  public RelayHistory(Name zone) {
    this(zone, DEFAULT_MAX_DIFFS, DEFAULT_MAX_RECORDS);
  }

  /** Forgets every difference: the zone is now at {@code soa}, reached by an unknown way. */
  public synchronized void reset(SOARecord soa) {
    diffs.clear();
    records = 0;
    current = Objects.requireNonNull(soa, "soa");
  }

  /**
   * Appends a chain of differences that starts at the current version; a chain that does not is
   * a gap, and resets the history to the chain's end instead.
   */
  public synchronized void append(List<ZoneDiff> chain) {
    if (chain.isEmpty()) {
      return;
    }
    ZoneDiff first = chain.get(0);
    if (current == null || first.fromSerial() != current.getSerial()) {
      reset(chain.get(chain.size() - 1).toSoa());
      return;
    }
    for (ZoneDiff d : chain) {
      diffs.addLast(d);
      records += size(d);
    }
    current = chain.get(chain.size() - 1).toSoa();
    while (diffs.size() > maxDiffs || (records > maxRecords && !diffs.isEmpty())) {
      records -= size(diffs.removeFirst());
    }
  }

  /** The SOA of the newest version seen, if any. */
  public synchronized Optional<SOARecord> soa() {
    return Optional.ofNullable(current);
  }

  /** Differences held. */
  public synchronized int size() {
    return diffs.size();
  }

  /** The oldest serial a downstream can follow from, if any difference is held. */
  public synchronized Optional<Long> oldestSerial() {
    return diffs.isEmpty() ? Optional.empty() : Optional.of(diffs.peekFirst().fromSerial());
  }

  @Override
  public synchronized Optional<List<ZoneDiff>> diffsSince(Name zone, long serial) {
    if (current == null || !this.zone.equals(zone.canonicalize())) {
      return Optional.empty();
    }
    if (serial == current.getSerial()) {
      return Optional.of(List.of());
    }
    List<ZoneDiff> out = null;
    for (ZoneDiff d : diffs) {
      if (out == null && d.fromSerial() == serial) {
        out = new ArrayList<>();
      }
      if (out != null) {
        out.add(d);
      }
    }
    return Optional.ofNullable(out);
  }

  /**
   * The current version as a snapshot that holds only the SOA (and an NS to the SOA's MNAME, which
   * a snapshot requires): what {@link io.tierdns.authoritative.transfer.TransferResponder} needs
   * to frame an IXFR answer. Never serves lookups.
   */
  public synchronized Optional<ZoneSnapshot> stub() {
    if (current == null) {
      return Optional.empty();
    }
    NSRecord ns = new NSRecord(current.getName(), current.getDClass(), current.getTTL(), current.getHost());
    return Optional.of(ZoneSnapshot.of(current.getName(), List.of(current, ns)));
  }

  private static int size(ZoneDiff d) {
    return d.removed().size() + d.added().size() + 2;
  }
}
