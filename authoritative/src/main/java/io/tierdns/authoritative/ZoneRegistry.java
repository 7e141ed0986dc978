package io.tierdns.authoritative;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.xbill.DNS.Name;

/**
 * The zones a node serves right now: one {@link ZoneTable} behind an {@link AtomicReference}.
 *
 * <p>Readers call {@link #table()} once per query and work on that table, so a query never sees
 * half of a change. Writers build the new table off the serving path and publish it with one swap;
 * {@link #replaceAll} replaces the whole set at once, so a reload never shows a half-loaded set.
 *
 * <p>{@link #version()} increases after every swap, so a cache of answers built from a table
 * (the wire layer's packet cache) can tell that the table changed by one read. It is increased
 * after the new table is published: whoever reads the new version also reads the new table.
 */
public final class ZoneRegistry {

  private final AtomicReference<ZoneTable> table;
  private final AtomicLong version = new AtomicLong();

  /** An empty registry. */
  public ZoneRegistry() {
    this(ZoneTable.empty());
  }

  public ZoneRegistry(ZoneTable initial) {
    this.table = new AtomicReference<>(initial);
  }

  /** The current table; hold on to it for the whole of one query. */
  public ZoneTable table() {
    return table.get();
  }

  /** A number that increases after every change of the table; never negative. */
  public long version() {
    return version.get();
  }

  /** Adds or replaces one zone. */
  public void put(ZoneSnapshot snapshot) {
    table.updateAndGet(t -> t.with(snapshot));
    version.incrementAndGet();
  }

  /** Stops serving a zone; does nothing when it is not served. */
  public void remove(Name origin) {
    table.updateAndGet(t -> t.without(origin));
    version.incrementAndGet();
  }

  /**
   * Replaces every zone with {@code snapshots} in one atomic swap.
   *
   * @throws ZoneException when two snapshots have the same origin (nothing is replaced)
   */
  public void replaceAll(Collection<ZoneSnapshot> snapshots) {
    table.set(ZoneTable.of(snapshots));
    version.incrementAndGet();
  }

  /** The zone at exactly {@code origin}. */
  public Optional<ZoneSnapshot> zone(Name origin) {
    return table.get().zone(origin);
  }
}
