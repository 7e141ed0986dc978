package io.tierdns.authoritative;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.xbill.DNS.Name;

/**
 * The zones a node serves right now: one {@link ZoneTable} behind an {@link AtomicReference}.
 *
 * <p>Readers call {@link #table()} once per query and work on that table, so a query never sees
 * half of a change. Writers build the new table off the serving path and publish it with one swap;
 * {@link #replaceAll} replaces the whole set at once, so a reload never shows a half-loaded set.
 */
public final class ZoneRegistry {

  private final AtomicReference<ZoneTable> table;

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

  /** Adds or replaces one zone. */
  public void put(ZoneSnapshot snapshot) {
    table.updateAndGet(t -> t.with(snapshot));
  }

  /** Stops serving a zone; does nothing when it is not served. */
  public void remove(Name origin) {
    table.updateAndGet(t -> t.without(origin));
  }

  /**
   * Replaces every zone with {@code snapshots} in one atomic swap.
   *
   * @throws ZoneException when two snapshots have the same origin (nothing is replaced)
   */
  public void replaceAll(Collection<ZoneSnapshot> snapshots) {
    table.set(ZoneTable.of(snapshots));
  }

  /** The zone at exactly {@code origin}. */
  public Optional<ZoneSnapshot> zone(Name origin) {
    return table.get().zone(origin);
  }
}
