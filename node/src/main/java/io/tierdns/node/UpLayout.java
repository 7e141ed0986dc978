package io.tierdns.node;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout of {@code ./tierdns up}: the default hierarchy on loopback with its data under one
 * directory ({@code --data}, default {@code ./.tierdns/}): the primary on :5300 (admin API on
 * :8053), the regional cache on :5310 and the edge caches on :5320 and :5321, each a node of its
 * own in one JVM, talking DNS to each other as separate processes would.
 *
 * <p>On the first start the example zones are copied into {@code DATA/primary/zones/}; later
 * starts serve what is there, so stopping and starting {@code up} resumes where it was. The admin
 * API key comes from {@code TIERDNS_API_KEY}; when that is unset the key in {@code DATA/api-key}
 * is used, and when there is none a new one is generated, printed and written there.
 */
public final class UpLayout {

  /** The primary's DNS address in the default hierarchy (DESIGN.md). */
  public static final String PRIMARY_LISTEN = "127.0.0.1:5300";

  /** The admin API port in the default hierarchy (DESIGN.md). */
  public static final int ADMIN_PORT = 8053;

  private UpLayout() {}

  /**
   * Prepares {@code data} and returns the configuration properties of the hierarchy.
   *
   * @param home the tierdns installation (holds {@code examples/zones/})
   * @param data the data directory
   * @param apiKeyFromEnv the value of TIERDNS_API_KEY, or null
   * @param out where to print a newly generated key
   */
  public static Map<String, Object> prepare(Path home, Path data, String apiKeyFromEnv, PrintStream out) {
    try {
      Path zones = data.resolve("primary").resolve("zones");
      if (!Files.isDirectory(zones)) {
        seedZones(home.resolve("examples").resolve("zones"), zones);
      }
      String apiKey = apiKey(data, apiKeyFromEnv, out);
      Map<String, Object> props = new LinkedHashMap<>();
      props.put("tierdns.node-name", "primary");
      props.put("tierdns.listen", List.of(PRIMARY_LISTEN));
      props.put("tierdns.authoritative.zone-directory", zones.toString());
      props.put("tierdns.authoritative.journal-directory", data.resolve("primary").resolve("journal").toString());
      props.put("tierdns.admin.enabled", true);
      props.put("tierdns.admin.host", "127.0.0.1");
      props.put("tierdns.admin.port", ADMIN_PORT);
      props.put("tierdns.admin.api-key", apiKey);
      return props;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare data directory " + data + ": " + e.getMessage(), e);
    }
  }

  /** The secondaries' DNS addresses (DESIGN.md). */
  public static final List<String> SECONDARY_LISTEN = List.of("127.0.0.1:5301", "127.0.0.1:5302");

  /** The regional cache's DNS address (DESIGN.md). */
  public static final String REGIONAL_LISTEN = "127.0.0.1:5310";

  /** The edge caches' DNS addresses (DESIGN.md). */
  public static final List<String> EDGE_LISTEN = List.of("127.0.0.1:5320", "127.0.0.1:5321");

  /**
   * Every node of the default hierarchy, in start order (upstreams first), by node name: the
   * primary of {@link #prepare}, the regional cache forwarding to it, and two edge caches
   * forwarding to the regional cache.
   */
  public static Map<String, Map<String, Object>> nodes(
      Path home, Path data, String apiKeyFromEnv, PrintStream out) {
    Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
    Map<String, Object> primary = prepare(home, data, apiKeyFromEnv, out);
    List<String> zones = zoneNames(Path.of(String.valueOf(primary.get("tierdns.authoritative.zone-directory"))));
    primary.put("tierdns.authoritative.notify-delay", "0s");
    primary.put("tierdns.authoritative.zone-defaults.notify", SECONDARY_LISTEN);
    primary.put("tierdns.authoritative.zone-defaults.allow-transfer", List.of("127.0.0.0/8"));
    nodes.put("primary", primary);
    for (int i = 0; i < SECONDARY_LISTEN.size(); i++) {
      String name = "secondary-" + (i + 1);
      Map<String, Object> props = new LinkedHashMap<>();
      props.put("tierdns.node-name", name);
      props.put("tierdns.listen", List.of(SECONDARY_LISTEN.get(i)));
      props.put("tierdns.secondary.journal-directory", data.resolve(name).resolve("journal").toString());
      props.put("tierdns.secondary.notify-delay", "0s");
      List<Map<String, Object>> entries = new ArrayList<>();
      for (String zone : zones) {
        entries.add(Map.of(
            "name", zone,
            "primaries", List.of(PRIMARY_LISTEN),
            "notify", List.of(REGIONAL_LISTEN),
            "allow-transfer", List.of("127.0.0.0/8")));
      }
      props.put("tierdns.secondary.zones", entries);
      nodes.put(name, props);
    }
    nodes.put("regional", cache("regional", "regional", REGIONAL_LISTEN, SECONDARY_LISTEN, zones, EDGE_LISTEN));
    for (int i = 0; i < EDGE_LISTEN.size(); i++) {
      String name = "edge-" + (i + 1);
      nodes.put(name, cache(name, "edge", EDGE_LISTEN.get(i), List.of(REGIONAL_LISTEN), zones, List.of()));
    }
    return nodes;
  }

  /** The zones of a zone directory, by file name. */
  static List<String> zoneNames(Path dir) {
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(f -> f.endsWith(".zone"))
          .map(f -> f.substring(0, f.length() - ".zone".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list zones in " + dir, e);
    }
  }

  private static Map<String, Object> cache(
      String name, String tier, String listen, List<String> upstreams, List<String> zones, List<String> subscribers) {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("tierdns.node-name", name);
    props.put("tierdns.listen", List.of(listen));
    props.put("tierdns.cache.tier", tier);
    props.put("tierdns.cache.upstreams", upstreams);
    List<Map<String, Object>> subscriptions = new ArrayList<>();
    for (String zone : zones) {
      subscriptions.add(Map.of("zone", zone, "upstreams", upstreams, "notify", subscribers));
    }
    props.put("tierdns.cache.subscriptions", subscriptions);
    return props;
  }

  private static void seedZones(Path examples, Path zones) throws IOException {
    if (!Files.isDirectory(examples)) {
      throw new IOException("example zones not found in " + examples);
    }
    Path tmp = zones.resolveSibling("zones.tmp");
    deleteRecursively(tmp);
    Files.createDirectories(tmp);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(examples, "*.zone")) {
      for (Path file : files) {
        Files.copy(file, tmp.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    // Rename last, so an interrupted first start is simply redone.
    Files.move(tmp, zones, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String apiKey(Path data, String fromEnv, PrintStream out) throws IOException {
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    Path file = data.resolve("api-key");
    if (Files.isRegularFile(file)) {
      String key = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (!key.isEmpty()) {
        return key;
      }
    }
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String key = HexFormat.of().formatHex(bytes);
    Files.createDirectories(data);
    Path tmp = data.resolve("api-key.tmp");
    Files.writeString(tmp, key + "\n", StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the file keeps the default permissions.
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    out.println("tierdns: generated admin API key " + key + " (saved in " + file + ")");
    return key;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
