package io.tierdns.node;

import io.micronaut.context.env.Environment;
import io.tierdns.authoritative.acl.TransferAcl;
import io.tierdns.authoritative.acl.TsigKeyConfig;
import io.tierdns.authoritative.notify.NotifyTarget;
import io.tierdns.authoritative.update.UpdatePolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The per-zone replication and update settings of the authoritative role: {@code tsig-keys},
 * {@code zone-defaults} and the {@code zones} list, whose entries override the defaults field by
 * field. Parsed once at start-up; every mistake is reported with the key that holds it.
 */
public record AuthoritativeSettings(
    List<TsigKeyConfig> keys, ZoneSettings defaults, Map<Name, ZoneSettings> zones) {

  /** Keys of one zone block ({@code zone-defaults} or a {@code zones} entry). */
  static final Set<String> ZONE_KEYS = Set.of("name", "notify", "allow-transfer", "update");

  /**
   * The settings of one zone.
   *
   * @param notifyTo secondaries to NOTIFY, {@code ADDR:PORT}, optionally {@code key:NAME} after a space
   * @param allowTransfer CIDRs and {@code key:NAME} entries allowed to AXFR/IXFR
   * @param update the RFC 2136 policy; absent means UPDATE is refused
   */
  public record ZoneSettings(List<String> notifyTo, List<String> allowTransfer, Optional<UpdateSettings> update) {}

  /** The {@code update:} block: grants and networks allowed to send unsigned updates. */
  public record UpdateSettings(List<UpdatePolicy.GrantConfig> policy, List<String> allowUnsignedFrom) {}

  /** The settings of a zone: its own entry over the defaults. */
  public ZoneSettings forZone(Name zone) {
    ZoneSettings own = zones.get(zone);
    return own == null ? defaults : own;
  }

  public TransferAcl transferAcl(Name zone) {
    List<String> allow = forZone(zone).allowTransfer();
    return allow.isEmpty() ? TransferAcl.denyAll() : TransferAcl.parse(allow);
  }

  public List<NotifyTarget> notifyTargets(Name zone) {
    List<NotifyTarget> targets = new ArrayList<>();
    for (String entry : forZone(zone).notifyTo()) {
      String[] parts = entry.trim().split("\\s+");
      Name key = null;
      if (parts.length == 2 && parts[1].startsWith("key:")) {
        key = keyName(parts[1].substring(4), "notify");
      } else if (parts.length != 1) {
        throw new IllegalArgumentException("notify entry '" + entry + "': expected ADDR:PORT [key:NAME]");
      }
      targets.add(new NotifyTarget(ListenAddress.parse(parts[0]), key));
    }
    return targets;
  }

  public Optional<UpdatePolicy> updatePolicy(Name zone) {
    return forZone(zone).update().map(u -> UpdatePolicy.parse(zone, u.policy(), u.allowUnsignedFrom()));
  }

  /** Reads and checks the settings; throws IllegalArgumentException naming the faulty key. */
  public static AuthoritativeSettings from(Environment env) {
    List<TsigKeyConfig> keys = new ArrayList<>();
    for (Map<?, ?> key : maps(env.getProperty("tierdns.authoritative.tsig-keys", List.class).orElse(List.of()), "tsig-keys")) {
      keys.add(new TsigKeyConfig(
          string(key, "name", "tsig-keys"),
          key.get("algorithm") == null ? "hmac-sha256" : string(key, "algorithm", "tsig-keys"),
          string(key, "secret", "tsig-keys")));
    }
    ZoneSettings none = new ZoneSettings(List.of(), List.of(), Optional.empty());
    Map<?, ?> defaultsMap = block(env, "tierdns.authoritative.zone-defaults");
    ZoneSettings defaults = zone(defaultsMap, none, "zone-defaults");
    Map<Name, ZoneSettings> zones = new LinkedHashMap<>();
    List<?> list = env.getProperty("tierdns.authoritative.zones", List.class).orElse(List.of());
    int i = 0;
    for (Map<?, ?> entry : maps(list, "zones")) {
      String where = "zones[" + i++ + "]";
      Name name = zoneName(string(entry, "name", where), where);
      if (zones.put(name, zone(entry, defaults, where)) != null) {
        throw new IllegalArgumentException("tierdns.authoritative." + where + ": zone " + name + " is listed twice");
      }
    }
    AuthoritativeSettings settings = new AuthoritativeSettings(keys, defaults, zones);
    settings.check();
    return settings;
  }

  /** Parses every derived object once, so a mistake stops the start, not the first NOTIFY. */
  private void check() {
    List<Name> all = new ArrayList<>(zones.keySet());
    all.add(Name.root);
    for (Name zone : all) {
      String where = zone == Name.root ? "zone-defaults" : "zones[" + zone + "]";
      try {
        transferAcl(zone);
        notifyTargets(zone);
        updatePolicy(zone == Name.root ? Name.fromConstantString("example.") : zone);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("tierdns.authoritative." + where + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * A configuration block as a plain map. Micronaut flattens YAML maps into dotted keys (and list
   * items into {@code key[0]}), so the block is rebuilt from its entries.
   */
  private static Map<String, Object> block(Environment env, String prefix) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (String entry : env.getPropertyEntries(prefix)) {
      String key = entry.replaceAll("\\[\\d+]$", "");
      if (map.containsKey(key)) {
        continue;
      }
      Object value =
          env.getProperty(prefix + "." + key, List.class)
              .map(Object.class::cast)
              .orElseGet(() -> env.getProperty(prefix + "." + key, Object.class).orElse(null));
      if (value == null || (value instanceof Map<?, ?> m && m.isEmpty()) || isNested(env, prefix + "." + key)) {
        value = block(env, prefix + "." + key);
      }
      map.put(key, value);
    }
    return map;
  }

  private static boolean isNested(Environment env, String prefix) {
    return !env.getPropertyEntries(prefix).isEmpty() && env.getProperty(prefix, List.class).isEmpty();
  }

  private static ZoneSettings zone(Map<?, ?> map, ZoneSettings base, String where) {
    for (Object key : map.keySet()) {
      if (!ZONE_KEYS.contains(String.valueOf(key)) || (where.equals("zone-defaults") && "name".equals(key))) {
        throw new IllegalArgumentException("unknown configuration key tierdns.authoritative." + where + "." + key);
      }
    }
    List<String> notify = map.containsKey("notify") ? strings(map.get("notify"), where + ".notify") : base.notifyTo();
    List<String> allow =
        map.containsKey("allow-transfer") ? strings(map.get("allow-transfer"), where + ".allow-transfer") : base.allowTransfer();
    Optional<UpdateSettings> update = base.update();
    if (map.containsKey("update")) {
      update = Optional.of(update(map.get("update"), where + ".update"));
    }
    return new ZoneSettings(notify, allow, update);
  }

  private static UpdateSettings update(Object value, String where) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("tierdns.authoritative." + where + ": expected a block with policy and allow-unsigned-from");
    }
    for (Object key : map.keySet()) {
      if (!Set.of("policy", "allow-unsigned-from").contains(String.valueOf(key))) {
        throw new IllegalArgumentException("unknown configuration key tierdns.authoritative." + where + "." + key);
      }
    }
    List<UpdatePolicy.GrantConfig> grants = new ArrayList<>();
    for (Map<?, ?> g : maps(map.get("policy") == null ? List.of() : map.get("policy"), where + ".policy")) {
      for (Object key : g.keySet()) {
        if (!Set.of("key", "grant", "name", "types").contains(String.valueOf(key))) {
          throw new IllegalArgumentException("unknown configuration key tierdns.authoritative." + where + ".policy." + key);
        }
      }
      grants.add(new UpdatePolicy.GrantConfig(
          g.get("key") == null ? null : String.valueOf(g.get("key")),
          g.get("grant") == null ? null : String.valueOf(g.get("grant")),
          g.get("name") == null ? null : String.valueOf(g.get("name")),
          g.get("types") == null ? List.of() : strings(g.get("types"), where + ".policy.types")));
    }
    List<String> unsigned =
        map.get("allow-unsigned-from") == null ? List.of() : strings(map.get("allow-unsigned-from"), where + ".allow-unsigned-from");
    return new UpdateSettings(grants, unsigned);
  }

  private static List<Map<?, ?>> maps(Object value, String where) {
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException("tierdns.authoritative." + where + ": expected a list");
    }
    List<Map<?, ?>> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("tierdns.authoritative." + where + ": expected a list of blocks, found '" + o + "'");
      }
      out.add(m);
    }
    return out;
  }

  private static List<String> strings(Object value, String where) {
    if (value instanceof String s) {
      return List.of(s);
    }
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException("tierdns.authoritative." + where + ": expected a list");
    }
    return list.stream().map(String::valueOf).toList();
  }

  private static String string(Map<?, ?> map, String key, String where) {
    Object v = map.get(key);
    if (v == null || String.valueOf(v).isBlank()) {
      throw new IllegalArgumentException("tierdns.authoritative." + where + ": '" + key + "' is required");
    }
    return String.valueOf(v);
  }

  private static Name zoneName(String text, String where) {
    try {
      return Name.fromString(text, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("tierdns.authoritative." + where + ": invalid zone name '" + text + "'");
    }
  }

  private static Name keyName(String text, String where) {
    try {
      return Name.fromString(text, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(where + ": invalid key name '" + text + "'");
    }
  }
}
