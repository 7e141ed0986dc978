package io.tierdns.node;

import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.SystemPropertiesPropertySource;
import io.micronaut.context.env.EnvironmentPropertySource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rejects keys under {@code tierdns:} that no part of tierdns reads. Micronaut ignores unknown
 * keys; for a DNS server a misspelt {@code tcp-idle-timout} silently falling back to its default
 * is a bug waiting for an outage, so, as Knot's configuration checker does, we refuse to start.
 *
 * <p>Only configuration files and command-line properties are checked: environment variables and
 * system properties carry unrelated {@code TIERDNS_*} settings (such as the API key variable).
 */
public final class ConfigurationCheck {

  /** Every key tierdns reads. Extend this set with every new configuration key. */
  static final Set<String> KNOWN =
      Set.of(
          "tierdns.node-name",
          "tierdns.listen",
          "tierdns.wire.udp-payload-size",
          "tierdns.wire.tcp-idle-timeout",
          "tierdns.wire.tcp-max-connections",
          "tierdns.wire.tcp-max-in-flight-per-connection",
          "tierdns.wire.io-threads",
          "tierdns.wire.packet-cache-bytes",
          "tierdns.wire.tcp-max-connections-per-client",
          "tierdns.wire.rrl-responses-per-second",
          "tierdns.wire.rrl-slip",
          "tierdns.wire.rrl-table-size",
          "tierdns.wire.cookies",
          "tierdns.authoritative.zone-directory",
          "tierdns.authoritative.journal-directory",
          "tierdns.authoritative.serial-policy",
          "tierdns.authoritative.journal-max-bytes",
          "tierdns.authoritative.journal-max-diffs",
          "tierdns.authoritative.journal-keep-diffs",
          "tierdns.authoritative.journal-max-age",
          "tierdns.authoritative.notify-delay",
          "tierdns.authoritative.update-max-records",
          "tierdns.authoritative.tsig-keys",
          "tierdns.authoritative.zones",
          "tierdns.cache.tier",
          "tierdns.cache.upstreams",
          "tierdns.cache.forward-zones",
          "tierdns.cache.subscriptions",
          "tierdns.cache.min-ttl",
          "tierdns.cache.max-ttl",
          "tierdns.cache.negative-max-ttl",
          "tierdns.cache.serve-stale",
          "tierdns.cache.stale-answer-ttl",
          "tierdns.cache.max-stale",
          "tierdns.cache.client-timeout",
          "tierdns.cache.stale-refresh-time",
          "tierdns.cache.servfail-ttl",
          "tierdns.cache.prefetch-fraction",
          "tierdns.cache.prefetch-eligibility",
          "tierdns.cache.max-size-bytes",
          "tierdns.cache.attempt-timeout",
          "tierdns.cache.max-attempts",
          "tierdns.secondary.journal-directory",
          "tierdns.secondary.tsig-keys",
          "tierdns.secondary.notify-delay",
          "tierdns.secondary.max-transfer-records",
          "tierdns.secondary.zones",
          "tierdns.admin.enabled",
          "tierdns.admin.host",
          "tierdns.admin.port",
          "tierdns.admin.api-key",
          "tierdns.admin.max-body-size",
          "tierdns.propagation.peers",
          "tierdns.propagation.request-timeout",
          "tierdns.propagation.clock-skew");

  private static final Set<String> NOT_CHECKED =
      Set.of(SystemPropertiesPropertySource.NAME, EnvironmentPropertySource.NAME);

  private ConfigurationCheck() {}

  /** Returns one message per unknown key; empty when the configuration is clean. */
  public static List<String> unknownKeys(Environment environment) {
    Set<String> problems = new TreeSet<>();
    for (PropertySource source : environment.getPropertySources()) {
      if (NOT_CHECKED.contains(source.getName())) {
        continue;
      }
      for (String key : source) {
        if (!key.startsWith("tierdns.")) {
          continue;
        }
        if (key.startsWith("tierdns.authoritative.zone-defaults.")) {
          continue; // checked key by key by AuthoritativeSettings
        }
        if (!KNOWN.contains(key)) {
          problems.add("unknown configuration key " + key);
        }
      }
    }
    return new ArrayList<>(problems);
  }

}
