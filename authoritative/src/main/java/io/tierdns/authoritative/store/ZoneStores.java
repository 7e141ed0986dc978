package io.tierdns.authoritative.store;

import io.tierdns.authoritative.ZoneException;
import io.tierdns.authoritative.ZoneFiles;
import io.tierdns.authoritative.ZoneLoadError;
import io.tierdns.authoritative.ZoneLoadException;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.CommitResult;
import io.tierdns.authoritative.edit.ZoneCommitListener;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.edit.ZoneEdit;
import io.tierdns.authoritative.edit.ZoneEditException;
import io.tierdns.authoritative.edit.ZoneHistory;
import io.tierdns.authoritative.edit.ZoneWriter;
import io.tierdns.authoritative.journal.Journal;
import io.tierdns.authoritative.journal.JournalException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The primary zones of one node: one {@link ZoneStore} per zone, zone files in one directory and
 * journals in another. Thread-safe: commits to different zones run in parallel, one writer at a
 * time per zone; creating and deleting zones is serialised; readers use the {@link ZoneRegistry}
 * and never lock.
 */
public final class ZoneStores implements ZoneWriter, ZoneHistory, Closeable {

  private static final Logger log = LoggerFactory.getLogger(ZoneStores.class);

  /** The journal file suffix: {@code <journal-dir>/example.test.journal}. */
  public static final String JOURNAL_SUFFIX = ".journal";

  /**
   * Where a node keeps its primary zones.
   *
   * @param zoneDir {@code <zone>.zone} files, RFC 1035 master format
   * @param journalDir {@code <zone>.journal} files (may be the same directory)
   */
  public record Layout(Path zoneDir, Path journalDir) {

    /** The zone file of a new zone: the name in lower case, no trailing dot, {@code .zone}. */
    public Path zoneFile(Name zone) {
      return zoneDir.resolve(stem(zone) + ZoneFiles.SUFFIX);
    }

    /** The journal of a zone. */
    public Path journalFile(Name zone) {
      return journalDir.resolve(stem(zone) + JOURNAL_SUFFIX);
    }

    private static String stem(Name zone) {
      String s = zone.toString(true).toLowerCase(Locale.ROOT);
      if (s.isEmpty() || s.equals(".") || s.contains("/") || s.startsWith(".")) {
        throw new ZoneEditException(ZoneEditException.Kind.INVALID_DATA, "zone name " + zone + " cannot be a file name");
      }
      return s;
    }
  }

  private final Layout layout;
  private final Function<Name, ZoneStoreConfig> configs;
  private final ZoneRegistry registry;
  private final Clock clock;
  private final ConcurrentHashMap<Name, ZoneStore> stores = new ConcurrentHashMap<>();
  private final List<ZoneCommitListener> listeners = new CopyOnWriteArrayList<>();
  private final List<ZoneLoadError> errors = new CopyOnWriteArrayList<>();
  private final Object zonesLock = new Object();
  private final java.util.concurrent.Executor compactions;

  private ZoneStores(Layout layout, Function<Name, ZoneStoreConfig> configs, ZoneRegistry registry, Clock clock, java.util.concurrent.Executor compactions) {
    this.layout = layout;
    this.configs = configs;
    this.registry = registry;
    this.clock = clock;
    this.compactions = compactions;
  }

  /** {@link #open(Layout, Function, ZoneRegistry, Clock)} with one configuration for all zones. */
  public static ZoneStores open(Layout layout, ZoneStoreConfig config, ZoneRegistry registry, Clock clock) {
    return open(layout, zone -> config, registry, clock);
  }

  /**
   * Opens every {@code *.zone} file of the zone directory with its journal and publishes the
   * zones. A zone that cannot be opened is reported in {@link #errors()}; the others serve.
   *
   * @param configs each zone's settings
   * @throws ZoneLoadException when a directory cannot be created or listed
   */
  public static ZoneStores open(Layout layout, Function<Name, ZoneStoreConfig> configs, ZoneRegistry registry, Clock clock) {
    return open(layout, configs, registry, clock, Runnable::run);
  }

  /**
   * {@link #open(Layout, Function, ZoneRegistry, Clock)}, with the journals compacted (and the zone
   * files written) on {@code compactions} after the commits that need it, rather than by the
   * commit itself before it returns; and the journal of a zone opened from its file alone written
   * there once the zone is served, rather than before ({@link ZoneStore#createJournal}).
   */
  public static ZoneStores open(
      Layout layout, Function<Name, ZoneStoreConfig> configs, ZoneRegistry registry, Clock clock, java.util.concurrent.Executor compactions) {
    try {
      Files.createDirectories(layout.zoneDir());
      Files.createDirectories(layout.journalDir());
    } catch (IOException e) {
      throw ZoneLoadException.of(layout.journalDir(), 0, "cannot create directory: " + e, e);
    }
    ZoneStores s = new ZoneStores(layout, configs, registry, clock, compactions);
    s.openNewFiles();
    return s;
  }

  /** The zones that failed to open, at start-up or at the last {@link #reloadAll()}. */
  public List<ZoneLoadError> errors() {
    return List.copyOf(errors);
  }

  /** The zones served, in canonical order. */
  public Set<Name> zones() {
    return new TreeSet<>(stores.keySet());
  }

  /** One zone's store. */
  public Optional<ZoneStore> store(Name zone) {
    return Optional.ofNullable(stores.get(zone));
  }

  /** Adds a listener told of every commit, creation and deletion. */
  public void addListener(ZoneCommitListener listener) {
    listeners.add(listener);
  }

  public void removeListener(ZoneCommitListener listener) {
    listeners.remove(listener);
  }

  @Override
  public CommitResult commit(Name zone, ZoneEdit edit) {
    return require(zone).commit(edit);
  }

  @Override
  public Optional<List<ZoneDiff>> diffsSince(Name zone, long serial) {
    ZoneStore s = stores.get(zone);
    return s == null ? Optional.empty() : s.diffsSince(serial);
  }

  /** The diffs from serial {@code from} to serial {@code to} of a zone, when its journal holds them. */
  public Optional<List<ZoneDiff>> diffsBetween(Name zone, long from, long to) {
    ZoneStore s = stores.get(zone);
    return s == null ? Optional.empty() : s.diffsBetween(from, to);
  }

  /**
   * Creates a zone from its records (SOA and NS at the apex required): zone file, then journal,
   * then served. Listeners are told with a {@code null} diff.
   *
   * @throws ZoneEditException ZONE_EXISTS, OUT_OF_ZONE, CONFLICT (CNAME rules) or INVALID_DATA
   */
  public CommitResult create(Name zone, List<Record> records) {
    ZoneSnapshot snapshot;
    synchronized (zonesLock) {
      if (stores.containsKey(zone) || registry.zone(zone).isPresent()) {
        throw new ZoneEditException(ZoneEditException.Kind.ZONE_EXISTS, "zone " + zone + " exists already");
      }
      snapshot = validate(zone, records);
      Path zoneFile = layout.zoneFile(zone);
      if (Files.exists(zoneFile)) {
        throw new ZoneEditException(ZoneEditException.Kind.ZONE_EXISTS, "zone file " + zoneFile + " exists already");
      }
      ZoneStore store = ZoneStore.create(snapshot, zoneFile, layout.journalFile(zone), configs.apply(zone), registry, clock, listeners);
      store.compactIn(compactions);
      stores.put(zone, store);
      log.info("zone={} serial={} created", zone, snapshot.serial());
    }
    for (ZoneCommitListener l : listeners) {
      try {
        l.committed(snapshot, null);
      } catch (RuntimeException e) {
        log.warn("zone={} listener {} failed on creation: {}", zone, l, e.toString(), e);
      }
    }
    return new CommitResult(snapshot, null);
  }

  /**
   * Stops serving a zone and deletes its zone file and journal.
   *
   * @throws ZoneEditException UNKNOWN_ZONE
   */
  public void delete(Name zone) {
    synchronized (zonesLock) {
      ZoneStore store = stores.remove(zone);
      if (store == null) {
        throw unknown(zone);
      }
      store.closeForDelete();
      registry.remove(zone);
      try {
        // Zone file first: a crash in between leaves an orphan journal, which is never read
        // without its zone file and is replaced when the zone is created again.
        Files.deleteIfExists(store.zoneFile());
        Journal.syncDirectory(store.zoneFile().toAbsolutePath().getParent());
        Journal.delete(store.journalFile());
      } catch (IOException e) {
        log.error("zone={} deleted but its files could not be removed: {}", zone, e.toString());
      }
      log.info("zone={} deleted", zone);
    }
    for (ZoneCommitListener l : listeners) {
      try {
        l.deleted(zone);
      } catch (RuntimeException e) {
        log.warn("zone={} listener {} failed on deletion: {}", zone, l, e.toString(), e);
      }
    }
  }

  /**
   * Reloads one zone: a hand edit of its file becomes a new version (see {@link ZoneStore#reload}).
   *
   * @throws ZoneEditException UNKNOWN_ZONE, or CONFLICT when the edit cannot be carried over
   * @throws ZoneLoadException when the zone file does not load; the zone keeps serving
   */
  public CommitResult reload(Name zone) {
    return require(zone).reload();
  }

  /**
   * Reloads every zone and opens zone files added to the directory (SIGHUP). Failures are
   * returned and logged; every other zone is reloaded.
   */
  public List<ZoneLoadError> reloadAll() {
    List<ZoneLoadError> failed = new ArrayList<>();
    for (ZoneStore s : stores.values()) {
      try {
        s.reload();
      } catch (ZoneLoadException e) {
        failed.add(e.toError());
      } catch (ZoneEditException | JournalException e) {
        failed.add(new ZoneLoadError(s.zoneFile(), 0, s.zoneFile() + ": " + e.getMessage()));
      }
    }
    for (ZoneSnapshot added : openNewFiles()) {
      for (ZoneCommitListener l : listeners) {
        try {
          l.committed(added, null);
        } catch (RuntimeException e) {
          log.warn("zone={} listener {} failed: {}", added.origin(), l, e.toString(), e);
        }
      }
    }
    failed.addAll(errors);
    failed.forEach(e -> log.warn("reload: {}", e.message()));
    return failed;
  }

  /** Writes every zone file that is behind its journal and closes the journals. */
  @Override
  public void close() {
    synchronized (zonesLock) {
      for (ZoneStore s : stores.values()) {
        s.close();
      }
    }
  }

  /** Opens the zone files of the directory not served yet; returns the zones opened. */
  private List<ZoneSnapshot> openNewFiles() {
    List<ZoneSnapshot> opened = new ArrayList<>();
    synchronized (zonesLock) {
      errors.clear();
      for (Path file : zoneFiles()) {
        Name zone;
        try {
          zone = ZoneFiles.originOf(file);
        } catch (ZoneLoadException e) {
          errors.add(e.toError());
          continue;
        }
        ZoneStore existing = stores.get(zone);
        if (existing != null) {
          if (!existing.zoneFile().getFileName().equals(file.getFileName())) {
            errors.add(new ZoneLoadError(file, 0, file + ": zone " + zone + " is already served from " + existing.zoneFile()));
          }
          continue;
        }
        try {
          ZoneStore s = ZoneStore.open(zone, file, layout.journalFile(zone), configs.apply(zone), registry, clock, listeners);
          s.compactIn(compactions);
          // A zone without a journal serves first; its journal is written next, on the same
          // executor as compactions (inline with the default one).
          compactions.execute(s::createJournal);
          stores.put(zone, s);
          opened.add(s.current());
        } catch (ZoneLoadException e) {
          errors.add(e.toError());
        } catch (JournalException | ZoneEditException e) {
          errors.add(new ZoneLoadError(file, 0, file + ": " + e.getMessage()));
        }
      }
    }
    errors.forEach(e -> log.error("zone not served: {}", e.message()));
    return opened;
  }

  private List<Path> zoneFiles() {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(layout.zoneDir(), "*" + ZoneFiles.SUFFIX)) {
      for (Path p : stream) {
        if (Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    } catch (IOException e) {
      throw ZoneLoadException.of(layout.zoneDir(), 0, "cannot list zone directory: " + e, e);
    }
    files.sort(null);
    return files;
  }

  private static ZoneSnapshot validate(Name zone, Collection<Record> records) {
    if (!zone.isAbsolute()) {
      throw new ZoneEditException(ZoneEditException.Kind.INVALID_DATA, "zone name " + zone + " is not absolute");
    }
    for (Record r : records) {
      if (!r.getName().subdomain(zone)) {
        throw new ZoneEditException(ZoneEditException.Kind.OUT_OF_ZONE, "record " + r + " is outside the zone " + zone);
      }
    }
    try {
      return ZoneSnapshot.of(zone, records);
    } catch (ZoneException e) {
      // ZoneSnapshot names the CNAME rules in its messages (RFC 1034 §3.6.2, RFC 2181 §10.1).
      boolean cname = e.getMessage().contains("CNAME");
      throw new ZoneEditException(cname ? ZoneEditException.Kind.CONFLICT : ZoneEditException.Kind.INVALID_DATA, e.getMessage());
    }
  }

  private ZoneStore require(Name zone) {
    ZoneStore s = stores.get(zone);
    if (s == null) {
      throw unknown(zone);
    }
    return s;
  }

  private static ZoneEditException unknown(Name zone) {
    return new ZoneEditException(ZoneEditException.Kind.UNKNOWN_ZONE, "zone " + zone + " is not served here");
  }
}
