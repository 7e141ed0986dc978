package io.tierdns.node;

import io.tierdns.authoritative.ZoneFiles;
import io.tierdns.authoritative.ZoneLoadError;
import io.tierdns.authoritative.ZoneLoadException;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The authoritative role of a node: which zones it serves and from which files.
 *
 * <p>Loading builds every snapshot off the serving path and publishes the whole set with one
 * {@link ZoneRegistry#replaceAll} swap, so a reload never drops or half-answers a query. A zone
 * whose file is broken is reported with {@code file:line}; on a reload it keeps serving its last
 * good version, on the first load it is simply absent, and in both cases the other zones serve.
 */
@Singleton
public class AuthoritativeRole {

  private static final Logger LOG = LoggerFactory.getLogger(AuthoritativeRole.class);

  private final NodeConfiguration.Authoritative config;
  private final List<ZoneConfig> zones;
  private final ZoneRegistry registry = new ZoneRegistry();

  public AuthoritativeRole(NodeConfiguration.Authoritative config, List<ZoneConfig> zones) {
    this.config = config;
    this.zones = zones;
  }

  /** The zones being served. */
  public ZoneRegistry registry() {
    return registry;
  }

  /** Whether any zone source is configured. */
  public boolean configured() {
    return config.getZoneDirectory() != null || !zones.isEmpty();
  }

  /**
   * Loads (or reloads) every configured zone and swaps the new set in atomically.
   *
   * @return what was loaded and what failed
   */
  public synchronized ReloadResult reload() {
    Map<Name, ZoneSnapshot> loaded = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    Set<Name> failed = new HashSet<>();
    if (config.getZoneDirectory() != null) {
      Path dir = Path.of(config.getZoneDirectory());
      if (!Files.isDirectory(dir)) {
        errors.add(dir + ": zone directory does not exist");
      } else {
        ZoneFiles.DirectoryLoad load = ZoneFiles.loadDirectory(dir);
        load.zones().forEach(z -> loaded.put(z.origin(), z));
        for (ZoneLoadError error : load.errors()) {
          errors.add(error.message());
          try {
            failed.add(ZoneFiles.originOf(error.file()));
          } catch (ZoneLoadException e) {
            // A file whose name is no zone name has no previous version to keep.
          }
        }
      }
    }
    for (ZoneConfig zone : zones) {
      Name origin;
      try {
        origin = Name.fromString(zone.getName(), Name.root);
      } catch (TextParseException e) {
        errors.add("zone '" + zone.getName() + "': invalid zone name: " + e.getMessage());
        continue;
      }
      try {
        loaded.put(origin, ZoneFiles.load(Path.of(zone.getFile()), origin));
      } catch (ZoneLoadException e) {
        errors.add(e.getMessage());
        failed.add(origin);
      }
    }
    // A zone that fails to reload keeps serving its previous good version.
    List<String> kept = new ArrayList<>();
    for (ZoneSnapshot old : registry.table().zones()) {
      if (!loaded.containsKey(old.origin()) && failed.contains(old.origin())) {
        loaded.put(old.origin(), old);
        kept.add(old.origin().toString());
      }
    }
    registry.replaceAll(loaded.values());
    for (String error : errors) {
      LOG.error("zone load failed: {}", error);
    }
    List<ReloadResult.Loaded> result = new ArrayList<>();
    loaded.values().stream()
        .sorted(Comparator.comparing(ZoneSnapshot::origin))
        .forEach(z -> result.add(new ReloadResult.Loaded(z.origin().toString(), z.serial(),
            kept.contains(z.origin().toString()))));
    for (ReloadResult.Loaded z : result) {
      LOG.info("zone={} serial={} loaded{}", z.zone(), z.serial(), z.previous() ? " (previous version kept)" : "");
    }
    return new ReloadResult(result, errors);
  }
}
