package io.tierdns.node.secondary;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.env.Environment;
import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.acl.TransferAcl;
import io.tierdns.authoritative.acl.TsigKeyConfig;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.authoritative.edit.ZoneCommitListener;
import io.tierdns.authoritative.journal.JournalConfig;
import io.tierdns.authoritative.notify.NotifyScheduler;
import io.tierdns.authoritative.notify.NotifySender;
import io.tierdns.authoritative.notify.NotifyTarget;
import io.tierdns.authoritative.notify.NotifyTransport;
import io.tierdns.node.ListenAddress;
import io.tierdns.wire.QueryHandler;
import io.tierdns.wire.client.DnsClient;
import io.tierdns.wire.client.DnsClientOptions;
import io.tierdns.zonesync.DnsPrimaryClient;
import io.tierdns.zonesync.Secondaries;
import io.tierdns.zonesync.SecondaryHandler;
import io.tierdns.zonesync.SecondaryZone;
import io.tierdns.zonesync.SecondaryZoneConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The secondary role of a node ({@code tierdns.secondary}): zones pulled from primaries by
 * NOTIFY, SOA refresh and IXFR/AXFR, served authoritatively, passed on to downstream secondaries
 * and subscribed caches by NOTIFY and IXFR from its own journal.
 */
@Singleton
public class SecondaryRole implements AutoCloseable {

  static final Set<String> ZONE_KEYS =
      Set.of("name", "primaries", "notify", "allow-transfer", "allow-notify", "audit-interval",
          "refresh-min", "refresh-max", "retry-min", "retry-max", "expire-min", "expire-max", "jitter");

  private final Environment environment;
  private final ZoneRegistry registry = new ZoneRegistry();
  private final Clock clock = Clock.systemUTC();
  private Secondaries secondaries;
  private NotifySender downstream;
  private DnsClient client;
  private ScheduledExecutorService timers;
  private ExecutorService transfers;

  public SecondaryRole(Environment environment) {
    this.environment = environment;
  }

  public boolean configured() {
    return environment.getProperty("tierdns.secondary.zones", List.class).map(l -> !l.isEmpty()).orElse(false);
  }

  public ZoneRegistry registry() {
    return registry;
  }

  /** Opens the journals (serving their zones at once), then starts refreshing. */
  public synchronized QueryHandler start(MeterRegistry meters) {
    String dir = environment.getProperty("tierdns.secondary.journal-directory", String.class)
        .orElseThrow(() -> new IllegalArgumentException("tierdns.secondary.journal-directory is required"));
    TsigKeyring keyring = TsigKeyring.of(keys(), clock);
    List<SecondaryZoneConfig> configs = zones();
    timers = Executors.newSingleThreadScheduledExecutor(daemon("tierdns-secondary-timers"));
    transfers = Executors.newFixedThreadPool(2, daemon("tierdns-secondary-xfr"));
    client = new DnsClient(DnsClientOptions.defaults());
    NotifyScheduler scheduler = NotifyScheduler.of(timers, clock);
    List<ZoneCommitListener> listeners = new CopyOnWriteArrayList<>();
    secondaries =
        Secondaries.open(
            configs, Path.of(dir), JournalConfig.defaults(), registry,
            new DnsPrimaryClient(
                keyring, client,
                environment.getProperty("tierdns.secondary.max-transfer-records", Long.class)
                    .orElse(DnsPrimaryClient.DEFAULT_MAX_RECORDS)),
            scheduler, transfers, listeners, meters);
    downstream =
        new NotifySender(
            secondaries::notifyTargets, keyring, NotifyTransport.udp(client), scheduler,
            environment.getProperty("tierdns.secondary.notify-delay", java.time.Duration.class)
                .orElse(NotifySender.DEFAULT_DELAY));
    listeners.add(downstream);
    QueryHandler handler =
        new SecondaryHandler(
            new AuthoritativeHandler(registry, meters, secondaries, secondaries::transferAcl, keyring),
            secondaries,
            keyring);
    secondaries.start();
    return handler;
  }

  /** Runs the ZONEMD audit of a zone now (repairing by AXFR on a same-serial mismatch). */
  public boolean auditNow(Name zone) {
    return secondaries != null && secondaries.follower(zone).map(f -> {
      f.auditNow();
      return true;
    }).orElse(false);
  }

  /** Refreshes a zone now (SOA check, then IXFR or AXFR). */
  public boolean refreshNow(Name zone) {
    return secondaries != null && secondaries.follower(zone).map(f -> {
      f.refreshNow();
      return true;
    }).orElse(false);
  }

  /**
   * Starts following one more zone while running, from an entry shaped like those of {@code
   * tierdns.secondary.zones} and read by the same code: its journal is opened or created and it is
   * transferred, served and passed on downstream like a configured zone (under {@code up}, when
   * the primary gains a zone).
   *
   * @return false when the zone was followed already or the role is not running
   * @throws IllegalArgumentException when the entry is not valid
   */
  public synchronized boolean follow(Map<String, Object> entry) {
    SecondaryZoneConfig config = zone(entry, "secondary zone " + entry.get("name"));
    return secondaries != null && secondaries.add(config);
  }

  /**
   * Stops following a zone: no longer served (REFUSED), its journal deleted (under {@code up},
   * when the primary deletes the zone).
   *
   * @return false when the zone was not followed
   */
  public synchronized boolean unfollow(Name zone) {
    if (secondaries == null || !secondaries.remove(zone)) {
      return false;
    }
    downstream.deleted(zone); // no more NOTIFY retries to the caches below for it
    return true;
  }

  /**
   * The zones followed now: those configured and those added since by {@link #follow}; before
   * the start, those configured.
   */
  public List<SecondaryZoneConfig> followed() {
    return secondaries == null ? zones() : secondaries.configs();
  }

  /** State of every secondary zone, for the API. */
  public List<SecondaryZone> states() {
    return secondaries == null ? List.of() : secondaries.states();
  }

  private List<TsigKeyConfig> keys() {
    List<TsigKeyConfig> keys = new ArrayList<>();
    for (Object o : environment.getProperty("tierdns.secondary.tsig-keys", List.class).orElse(List.of())) {
      if (!(o instanceof Map<?, ?> m) || m.get("name") == null || m.get("secret") == null) {
        throw new IllegalArgumentException("tierdns.secondary.tsig-keys: each key needs name and secret");
      }
      keys.add(new TsigKeyConfig(String.valueOf(m.get("name")),
          m.get("algorithm") == null ? null : String.valueOf(m.get("algorithm")), String.valueOf(m.get("secret"))));
    }
    return keys;
  }

  /** {@code tierdns.secondary.zones}: name, primaries, and optionally notify, allow-transfer, allow-notify. */
  public List<SecondaryZoneConfig> zones() {
    List<SecondaryZoneConfig> out = new ArrayList<>();
    List<?> list = environment.getProperty("tierdns.secondary.zones", List.class).orElse(List.of());
    for (int i = 0; i < list.size(); i++) {
      out.add(zone(list.get(i), "tierdns.secondary.zones[" + i + "]"));
    }
    return out;
  }

  /** One entry of {@code tierdns.secondary.zones}, read as at start. */
  static SecondaryZoneConfig zone(Object entry, String where) {
    if (!(entry instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(where + ": expected {name, primaries, ...}");
    }
    for (Object key : m.keySet()) {
      if (!ZONE_KEYS.contains(String.valueOf(key))) {
        throw new IllegalArgumentException("unknown configuration key " + where + "." + key);
      }
    }
    Name zone = name(m.get("name"), where + ".name");
    List<SecondaryZoneConfig.Primary> primaries = new ArrayList<>();
    for (String p : strings(m.get("primaries"), where + ".primaries", false)) {
      String[] parts = p.trim().split("\\s+");
      Name key = parts.length == 2 && parts[1].startsWith("key:") ? name(parts[1].substring(4), where + ".primaries") : null;
      if (parts.length > 2 || (parts.length == 2 && key == null)) {
        throw new IllegalArgumentException(where + ".primaries: expected ADDR:PORT [key:NAME], got '" + p + "'");
      }
      primaries.add(new SecondaryZoneConfig.Primary(ListenAddress.parse(parts[0]), key));
    }
    List<NotifyTarget> notify = new ArrayList<>();
    for (String n : m.get("notify") == null ? List.<String>of() : strings(m.get("notify"), where + ".notify", true)) {
      String[] parts = n.trim().split("\\s+");
      Name key = parts.length == 2 && parts[1].startsWith("key:") ? name(parts[1].substring(4), where + ".notify") : null;
      notify.add(new NotifyTarget(ListenAddress.parse(parts[0]), key));
    }
    TransferAcl allowTransfer = acl(m.get("allow-transfer"), where + ".allow-transfer");
    TransferAcl allowNotify = acl(m.get("allow-notify"), where + ".allow-notify");
    java.time.Duration audit = duration(m, "audit-interval", null, where);
    try {
      SecondaryZoneConfig config =
          SecondaryZoneConfig.of(zone, primaries).withNotify(notify, allowTransfer).withAllowNotify(allowNotify);
      config = config.withTimers(
          bounds(m, "refresh", SecondaryZoneConfig.DEFAULT_REFRESH, where),
          bounds(m, "retry", SecondaryZoneConfig.DEFAULT_RETRY, where),
          bounds(m, "expire", SecondaryZoneConfig.DEFAULT_EXPIRE, where),
          m.get("jitter") == null ? SecondaryZoneConfig.DEFAULT_JITTER : Double.parseDouble(String.valueOf(m.get("jitter"))));
      return audit == null ? config : config.withAudit(audit);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static SecondaryZoneConfig.Bounds bounds(
      Map<?, ?> m, String timer, SecondaryZoneConfig.Bounds defaults, String where) {
    return new SecondaryZoneConfig.Bounds(
        duration(m, timer + "-min", defaults.min(), where), duration(m, timer + "-max", defaults.max(), where));
  }

  private static java.time.Duration duration(Map<?, ?> m, String key, java.time.Duration fallback, String where) {
    if (m.get(key) == null) {
      return fallback;
    }
    return io.micronaut.core.convert.ConversionService.SHARED
        .convert(m.get(key), java.time.Duration.class)
        .orElseThrow(() -> new IllegalArgumentException(where + "." + key + ": expected a duration such as 30s or 1h"));
  }

  private static TransferAcl acl(Object value, String where) {
    if (value == null) {
      return TransferAcl.denyAll();
    }
    List<String> entries = strings(value, where, true);
    try {
      return entries.isEmpty() ? TransferAcl.denyAll() : TransferAcl.parse(entries);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static List<String> strings(Object value, String where, boolean mayBeEmpty) {
    if (value instanceof String s) {
      return List.of(s);
    }
    if (!(value instanceof List<?> l) || (l.isEmpty() && !mayBeEmpty)) {
      throw new IllegalArgumentException(where + (mayBeEmpty ? ": expected a list" : ": expected a non-empty list"));
    }
    return l.stream().map(String::valueOf).toList();
  }

  private static Name name(Object value, String where) {
    try {
      return Name.fromString(String.valueOf(value), Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(where + ": invalid name '" + value + "'");
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  @PreDestroy
  public synchronized void close() {
    if (downstream != null) {
      downstream.close();
    }
    if (secondaries != null) {
      secondaries.close();
    }
    if (timers != null) {
      timers.shutdownNow();
    }
    if (transfers != null) {
      transfers.shutdownNow();
    }
    if (client != null) {
      client.close();
    }
  }
}
