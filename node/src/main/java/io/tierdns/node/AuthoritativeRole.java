package io.tierdns.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.env.Environment;
import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.authoritative.ZoneLoadError;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.authoritative.edit.CommitResult;
import io.tierdns.authoritative.edit.ZoneCommitListener;
import io.tierdns.authoritative.edit.ZoneEdit;
import io.tierdns.authoritative.edit.ZoneEditException;
import io.tierdns.authoritative.journal.JournalConfig;
import io.tierdns.authoritative.notify.NotifyScheduler;
import io.tierdns.authoritative.notify.NotifySender;
import io.tierdns.authoritative.notify.NotifyState;
import io.tierdns.authoritative.notify.NotifyTransport;
import io.tierdns.authoritative.serial.SerialPolicy;
import io.tierdns.authoritative.store.ZoneStoreConfig;
import io.tierdns.authoritative.store.ZoneStores;
import io.tierdns.authoritative.update.UpdateHandler;
import io.tierdns.node.api.ZoneService;
import io.tierdns.wire.QueryHandler;
import io.tierdns.wire.client.DnsClient;
import io.tierdns.wire.client.DnsClientOptions;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The authoritative (primary) role of a node: its zones, their single write path (journal,
 * serials), the DNS handler (queries, transfers, UPDATE) and NOTIFY to the secondaries.
 *
 * <p>Design note. {@link ZoneStores} owns durability: every change, from the admin API, from
 * UPDATE or from a hand-edited file found on reload, is journalled and fsynced before the new
 * snapshot is swapped into the {@link ZoneRegistry} the query path reads without locks. This class
 * only wires those pieces to configuration; it holds no zone logic.
 */
@Singleton
public class AuthoritativeRole implements ZoneService, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AuthoritativeRole.class);

  private final NodeConfiguration.Authoritative config;
  private final Environment environment;
  private final io.tierdns.node.report.PropagationService propagation;
  private final ZoneRegistry registry = new ZoneRegistry();
  private final Clock clock = Clock.systemUTC();
  private ZoneStores stores;
  private AuthoritativeSettings settings;
  private TsigKeyring keyring;
  private NotifySender notifier;
  private DnsClient notifyClient;
  private ScheduledExecutorService timers;
  private ExecutorService updates;
  private ExecutorService compactions;
  /** Told of zone creations and deletions before anyone else ({@link #addZoneSetListener}). */
  private final List<ZoneCommitListener> zoneSet = new java.util.concurrent.CopyOnWriteArrayList<>();

  public AuthoritativeRole(
      NodeConfiguration.Authoritative config, Environment environment,
      io.tierdns.node.report.PropagationService propagation) {
    this.config = config;
    this.environment = environment;
    this.propagation = propagation;
  }

  /** Whether any zone source is configured. */
  public boolean configured() {
    return config.getZoneDirectory() != null;
  }

  /** The zones being served. */
  public ZoneRegistry registry() {
    return registry;
  }

  /** Opens every zone (file + journal) and starts NOTIFY. Broken zones are logged and skipped. */
  public synchronized void start() {
    if (stores != null) {
      return;
    }
    settings = AuthoritativeSettings.from(environment);
    keyring = TsigKeyring.of(settings.keys(), clock);
    Path zoneDir = Path.of(config.getZoneDirectory());
    Path journalDir =
        config.getJournalDirectory() != null ? Path.of(config.getJournalDirectory()) : zoneDir.resolve(".journal");
    ZoneStoreConfig storeConfig =
        new ZoneStoreConfig(
            SerialPolicy.parse(config.getSerialPolicy()),
            new JournalConfig(
                config.getJournalMaxBytes(),
                config.getJournalMaxDiffs(),
                config.getJournalKeepDiffs(),
                config.getJournalMaxAge()));
    // Journal compactions (with the zone file written) after the commit that needs one, on a
    // thread of their own: for a million records they take a second or more (docs/journal.md).
    compactions = Executors.newSingleThreadExecutor(daemon("tierdns-journal"));
    stores = ZoneStores.open(new ZoneStores.Layout(zoneDir, journalDir), zone -> storeConfig, registry, clock, compactions);
    stores.errors().forEach(e -> LOG.error("zone load failed: {}", e.message()));
    registry.table().zones().forEach(z -> LOG.info("zone={} serial={} loaded", z.origin(), z.serial()));
    timers = Executors.newSingleThreadScheduledExecutor(daemon("tierdns-notify"));
    notifyClient = new DnsClient(DnsClientOptions.defaults());
    notifier =
        new NotifySender(
            settings::notifyTargets,
            keyring,
            NotifyTransport.udp(notifyClient),
            NotifyScheduler.of(timers, clock),
            config.getNotifyDelay());
    propagation.notifySource(settings::notifyTargets, notifier::history);
    // The nodes that take a new zone first, so that the propagation report tracks them and the
    // NOTIFY finds them; then the report: the commit time is taken before any NOTIFY leaves.
    stores.addListener(new ZoneSetForwarder(zoneSet));
    stores.addListener(propagation);
    stores.addListener(notifier);
    updates = Executors.newSingleThreadExecutor(daemon("tierdns-update"));
  }

  /**
   * Adds a listener told when a zone is created (a commit with no diff) or deleted here, before
   * the propagation report and NOTIFY are: {@code up} has its secondaries and caches take the zone
   * ({@link UpZones}).
   */
  public void addZoneSetListener(ZoneCommitListener listener) {
    zoneSet.add(listener);
  }

  /** Passes creations and deletions (not changes) on to the zone-set listeners. */
  private record ZoneSetForwarder(List<ZoneCommitListener> listeners) implements ZoneCommitListener {
    @Override
    public void committed(ZoneSnapshot snapshot, io.tierdns.authoritative.edit.ZoneDiff diff) {
      if (diff == null) {
        listeners.forEach(l -> l.committed(snapshot, null));
      }
    }

    @Override
    public void deleted(Name zone) {
      listeners.forEach(l -> l.deleted(zone));
    }
  }

  /** The DNS handler: queries and transfers by {@link AuthoritativeHandler}, UPDATE by its own. */
  public QueryHandler handler(MeterRegistry meters) {
    AuthoritativeHandler queries =
        new AuthoritativeHandler(registry, meters, stores, settings::transferAcl, keyring);
    UpdateHandler update =
        new UpdateHandler(
            registry, stores, settings::updatePolicy, keyring::key, clock, updates, meters,
            config.getUpdateMaxRecords());
    return new OpcodeRouter(queries, update);
  }

  /** Reloads zone files: new files become zones, hand edits become journal diffs. */
  public synchronized ReloadResult reload() {
    List<String> errors = new ArrayList<>();
    if (stores == null) {
      return new ReloadResult(List.of(), List.of());
    }
    Set<Path> failed = new HashSet<>();
    for (ZoneLoadError e : stores.reloadAll()) {
      LOG.error("zone load failed: {}", e.message());
      errors.add(e.message());
      if (e.file() != null) {
        failed.add(e.file().toAbsolutePath().normalize());
      }
    }
    List<ReloadResult.Loaded> zones = new ArrayList<>();
    for (ZoneSnapshot z : zones()) {
      // a served zone whose file failed keeps its previous version serving
      boolean previous = stores.store(z.origin())
          .map(s -> failed.contains(s.zoneFile().toAbsolutePath().normalize()))
          .orElse(false);
      zones.add(new ReloadResult.Loaded(z.origin().toString(), z.serial(), previous));
    }
    return new ReloadResult(zones, errors);
  }

  /** NOTIFY state per secondary, for the API. */
  public List<NotifyState> notifyStates(Name zone) {
    return notifier == null ? List.of() : notifier.states(zone);
  }

  @Override
  public List<ZoneSnapshot> zones() {
    return registry.table().zones().stream().sorted(Comparator.comparing(ZoneSnapshot::origin)).toList();
  }

  @Override
  public Optional<ZoneSnapshot> zone(Name name) {
    return registry.zone(name);
  }

  @Override
  public CommitResult commit(Name zone, ZoneEdit edit) {
    return writer().commit(zone, edit);
  }

  @Override
  public ZoneSnapshot create(Name zone, List<Record> records) {
    return writer().create(zone, records).snapshot();
  }

  @Override
  public void delete(Name zone) {
    writer().delete(zone);
  }

  @Override
  public long notifiedSerial(Name zone) {
    List<NotifyState> states = notifyStates(zone);
    long current = registry.zone(zone).map(ZoneSnapshot::serial).orElse(0L);
    if (states.isEmpty()) {
      return current;
    }
    return states.stream()
        .filter(s -> s.status() == NotifyState.Status.ACKED)
        .mapToLong(NotifyState::serial)
        .min()
        .orElse(0L);
  }

  @Override
  public void notifySecondaries(Name zone) {
    ZoneSnapshot snapshot =
        registry.zone(zone).orElseThrow(() -> new ZoneEditException(ZoneEditException.Kind.UNKNOWN_ZONE, "zone " + zone + " is not served here"));
    if (notifier != null) {
      notifier.notifyNow(snapshot);
    }
  }

  private ZoneStores writer() {
    if (stores == null) {
      throw new ZoneEditException(ZoneEditException.Kind.REFUSED, "this node has no authoritative role");
    }
    return stores;
  }

  @Override
  @PreDestroy
  public synchronized void close() {
    if (notifier != null) {
      notifier.close();
    }
    if (stores != null) {
      stores.close(); // a compaction still queued finds its store closed and does nothing
    }
    if (compactions != null) {
      compactions.shutdown();
    }
    if (timers != null) {
      timers.shutdownNow();
    }
    if (updates != null) {
      updates.shutdown();
    }
    if (notifyClient != null) {
      notifyClient.close();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
