package io.tierdns.zonesync;

import io.micrometer.core.instrument.MeterRegistry;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.acl.TransferAcl;
import io.tierdns.authoritative.edit.ZoneCommitListener;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.edit.ZoneHistory;
import io.tierdns.authoritative.journal.Journal;
import io.tierdns.authoritative.journal.JournalConfig;
import io.tierdns.authoritative.notify.NotifyScheduler;
import io.tierdns.authoritative.notify.NotifyTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * The secondary zones of a node: one {@link ZoneFollower} per zone, and what the query path and
 * the admin API need from them.
 *
 * <p>Wiring a secondary node:
 *
 * <pre>{@code
 * ZoneRegistry registry = new ZoneRegistry();
 * NotifySender downstream = new NotifySender(secondaries::notifyTargets, ...); // see below
 * Secondaries secondaries = Secondaries.open(configs, journalDir, JournalConfig.defaults(),
 *     registry, new DnsPrimaryClient(keyring), scheduler, executor, List.of(downstream), meters);
 * QueryHandler handler = new SecondaryHandler(
 *     new AuthoritativeHandler(registry, meters, secondaries, secondaries::transferAcl, keyring),
 *     secondaries, keyring, meters);
 * DnsServer server = new DnsServer(listen, handler);
 * secondaries.start();
 * }</pre>
 *
 * The journals are opened (and their versions served) by {@link #open}; {@link #start} plans the
 * first refresh of every zone.
 */
public final class Secondaries implements ZoneHistory, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Secondaries.class);

  /**
   * The followers by zone, replaced whole by {@link #add} and {@link #remove} (rare) so the query
   * path reads it without a lock.
   */
  private volatile Map<Name, ZoneFollower> followers;
  private final ZoneSyncMetrics metrics;
  private final Opener opener;

  /** What {@link #open} was given, to open a zone added later the same way. */
  private record Opener(
      Path journalDir,
      JournalConfig journalConfig,
      ZoneRegistry registry,
      PrimaryClient client,
      NotifyScheduler scheduler,
      Executor executor,
      Collection<ZoneCommitListener> listeners,
      DoubleSupplier random) {

    ZoneFollower follower(SecondaryZoneConfig c, ZoneSyncMetrics m) {
      SecondaryJournal store = SecondaryJournal.open(c.zone(), journalFile(journalDir, c.zone()), journalConfig, registry);
      return new ZoneFollower(c, store, registry, client, scheduler, executor, listeners, random, m);
    }
  }

  private Secondaries(Map<Name, ZoneFollower> followers, ZoneSyncMetrics metrics, Opener opener) {
    this.followers = followers;
    this.metrics = metrics;
    this.opener = opener;
  }

  /**
   * Opens every zone's journal under {@code journalDir} ({@code <zone>.journal}) and serves the
   * versions they hold at once.
   *
   * @param client the primaries' transport ({@link DnsPrimaryClient})
   * @param scheduler time and timers (shared with the {@code NotifySender} is fine)
   * @param executor runs zone work: transfers block, so give it threads (zones run in parallel,
   *     one task at a time per zone)
   * @param listeners told after every applied change, e.g. a {@code NotifySender} for downstream
   *     NOTIFY; read at each change, so it may be a live collection
   * @param meters where {@code zonesync.*} meters go, or null
   */
  public static Secondaries open(
      Collection<SecondaryZoneConfig> configs,
      Path journalDir,
      JournalConfig journalConfig,
      ZoneRegistry registry,
      PrimaryClient client,
      NotifyScheduler scheduler,
      Executor executor,
      Collection<ZoneCommitListener> listeners,
      MeterRegistry meters) {
    return open(configs, journalDir, journalConfig, registry, client, scheduler, executor, listeners, meters, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** {@link #open} with the jitter's random numbers given (tests). */
  public static Secondaries open(
      Collection<SecondaryZoneConfig> configs,
      Path journalDir,
      JournalConfig journalConfig,
      ZoneRegistry registry,
      PrimaryClient client,
      NotifyScheduler scheduler,
      Executor executor,
      Collection<ZoneCommitListener> listeners,
      MeterRegistry meters,
      DoubleSupplier random) {
    try {
      Files.createDirectories(journalDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create journal directory " + journalDir, e);
    }
    ZoneSyncMetrics m = new ZoneSyncMetrics(meters);
    Opener opener = new Opener(journalDir, journalConfig, registry, client, scheduler, executor, listeners, random);
    Map<Name, ZoneFollower> followers = new TreeMap<>();
    for (SecondaryZoneConfig c : configs) {
      if (followers.containsKey(c.zone())) {
        throw new IllegalArgumentException("secondary zone " + c.zone() + " is configured twice");
      }
      followers.put(c.zone(), opener.follower(c, m));
    }
    return new Secondaries(Map.copyOf(followers), m, opener);
  }

  /**
   * Starts following one more zone, exactly as if it had been configured at {@link #open}: opens
   * (or creates) its journal, serves what that holds, and plans its first refresh now. A zone
   * already followed is left as it is.
   *
   * @return false when the zone was followed already
   */
  public synchronized boolean add(SecondaryZoneConfig config) {
    if (followers.containsKey(config.zone())) {
      return false;
    }
    ZoneFollower f = opener.follower(config, metrics);
    Map<Name, ZoneFollower> next = new TreeMap<>(followers);
    next.put(config.zone(), f);
    followers = Map.copyOf(next);
    f.start();
    log.info("zone={} serial={} now followed", config.zone(), f.store().current() == null ? -1 : f.store().current().serial());
    return true;
  }

  /**
   * Stops following a zone: its timers stop, it is no longer served (queries for it are REFUSED,
   * NOTIFYs for it NOTAUTH) and its journal is deleted, so a restart does not serve it again.
   *
   * @return false when the zone was not followed
   */
  public synchronized boolean remove(Name zone) {
    ZoneFollower f = followers.get(zone);
    if (f == null) {
      return false;
    }
    Map<Name, ZoneFollower> next = new TreeMap<>(followers);
    next.remove(zone);
    followers = Map.copyOf(next);
    f.close();
    // Unpublished after close, so that no timer of the zone publishes it again.
    opener.registry().remove(zone);
    Path journal = f.store().file();
    try {
      Journal.delete(journal);
      log.info("zone={} no longer followed; journal {} removed", zone, journal);
    } catch (IOException e) {
      log.error("zone={} no longer followed but its journal {} could not be removed: {}", zone, journal, e.toString());
    }
    return true;
  }

  /** The journal of a zone: {@code <dir>/<zone, lower case, no trailing dot>.journal}. */
  public static Path journalFile(Path dir, Name zone) {
    String name = zone.equals(Name.root) ? "root" : zone.toString(true).toLowerCase(Locale.ROOT);
    return dir.resolve(name + ".journal");
  }

  /** Plans the first refresh of every zone. */
  public void start() {
    followers.values().forEach(ZoneFollower::start);
  }

  /** The follower of exactly this zone. */
  public Optional<ZoneFollower> follower(Name zone) {
    return Optional.ofNullable(followers.get(zone));
  }

  /** The follower of the closest enclosing secondary zone of a name, or null. */
  public ZoneFollower find(Name name) {
    if (followers.isEmpty()) {
      return null;
    }
    for (int strip = 0; strip < name.labels(); strip++) {
      ZoneFollower f = followers.get(strip == 0 ? name : new Name(name, strip));
      if (f != null) {
        return f;
      }
    }
    return null;
  }

  /** The configuration of every zone followed now, in canonical order. */
  public List<SecondaryZoneConfig> configs() {
    return new TreeMap<>(followers).values().stream().map(ZoneFollower::config).toList();
  }

  /** Every zone's state, in canonical order. */
  public List<SecondaryZone> states() {
    List<SecondaryZone> out = new ArrayList<>(followers.size());
    new TreeMap<>(followers).values().forEach(f -> out.add(f.state()));
    return out;
  }

  /** One zone's state. */
  public Optional<SecondaryZone> state(Name zone) {
    return follower(zone).map(ZoneFollower::state);
  }

  /** Who may transfer a zone from us ({@code AuthoritativeHandler}'s ACL function). */
  public TransferAcl transferAcl(Name zone) {
    ZoneFollower f = followers.get(zone);
    return f == null ? TransferAcl.denyAll() : f.config().allowTransfer();
  }

  /** The downstream secondaries of a zone ({@code NotifySender}'s target function). */
  public List<NotifyTarget> notifyTargets(Name zone) {
    ZoneFollower f = followers.get(zone);
    return f == null ? List.of() : f.config().notifyTargets();
  }

  /** The IXFR history served downstream: the zone's journal. */
  @Override
  public Optional<List<ZoneDiff>> diffsSince(Name zone, long serial) {
    ZoneFollower f = followers.get(zone);
    return f == null ? Optional.empty() : f.store().diffsSince(zone, serial);
  }

  ZoneSyncMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    followers.values().forEach(ZoneFollower::close);
  }

  /** Used by handlers: the zone's follower or an exception naming it. */
  ZoneFollower require(Name zone) {
    return Objects.requireNonNull(followers.get(zone), "no secondary zone " + zone);
  }
}
