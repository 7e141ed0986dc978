package io.tierdns.node;

import io.micronaut.context.BeanContext;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.ZoneCommitListener;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.edge.SubscriptionConfig;
import io.tierdns.node.cache.CacheRole;
import io.tierdns.node.secondary.SecondaryRole;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * The zone set of {@code ./tierdns up} while it runs: when the primary gains a zone (admin API
 * {@code POST}, or a new file found by a reload), every secondary of the hierarchy starts
 * following it and every cache subscribes to it; when the primary deletes one, the secondaries
 * stop serving it and delete its journal, and the caches drop the subscription and every entry of
 * the zone. That is the state a restart of {@code up} builds from {@code DATA/primary/zones/}
 * ({@link UpLayout#nodes}), reached without one.
 *
 * <p>Design note. {@link UpLayout} gives every secondary one entry per zone that differs only in
 * the zone name, and every cache one subscription per zone likewise. A new zone gets a copy of
 * the node's first entry with its name, read by the same code as at start ({@link
 * SecondaryRole#follow}), so the live path and the restart path cannot drift apart. The nodes
 * still learn the zone's content only through DNS: the secondaries by AXFR from the primary, the
 * caches by their subscription's SOA and IXFR.
 */
public final class UpZones implements ZoneCommitListener {

  private static final Logger LOG = LoggerFactory.getLogger(UpZones.class);

  private final List<BeanContext> followers;

  private UpZones(List<BeanContext> followers) {
    this.followers = List.copyOf(followers);
  }

  /**
   * Has the nodes of {@code hierarchy} after the first (the primary) follow the primary's zone set.
   *
   * @param hierarchy the started nodes of {@link UpLayout#nodes}, in start order
   */
  public static void follow(List<? extends BeanContext> hierarchy) {
    if (hierarchy.isEmpty()) {
      return;
    }
    AuthoritativeRole primary = hierarchy.get(0).getBean(AuthoritativeRole.class);
    if (!primary.configured()) {
      throw new IllegalArgumentException("the first node of the hierarchy is not a primary");
    }
    primary.addZoneSetListener(new UpZones(List.copyOf(hierarchy.subList(1, hierarchy.size()))));
  }

  @Override
  public void committed(ZoneSnapshot snapshot, ZoneDiff diff) {
    Name zone = snapshot.origin();
    // In start order: the secondaries, then the caches that read from them.
    for (BeanContext node : followers) {
      String name = nodeName(node);
      try {
        SecondaryRole secondary = node.getBean(SecondaryRole.class);
        CacheRole cache = node.getBean(CacheRole.class);
        if (secondary.configured()) {
          Optional<Map<String, Object>> entry = secondaryEntry(node, zone);
          if (entry.isPresent() && secondary.follow(entry.get())) {
            LOG.info("zone={} serial={} node={} follows the new zone", zone, snapshot.serial(), name);
          }
        } else if (cache.running()) {
          Optional<SubscriptionConfig> sub =
              cache.subscribed().stream().findFirst()
                  .map(s -> new SubscriptionConfig(zone, s.upstreams(), s.subscribers(), s.tsigKey()));
          if (sub.isPresent() && cache.subscribe(sub.get())) {
            LOG.info("zone={} serial={} node={} subscribes to the new zone", zone, snapshot.serial(), name);
          }
        }
      } catch (RuntimeException e) {
        LOG.error("zone={} serial={} node={} cannot take the new zone: {}", zone, snapshot.serial(), name, e.toString());
      }
    }
  }

  @Override
  public void deleted(Name zone) {
    for (BeanContext node : followers) {
      String name = nodeName(node);
      try {
        SecondaryRole secondary = node.getBean(SecondaryRole.class);
        CacheRole cache = node.getBean(CacheRole.class);
        if (secondary.configured() && secondary.unfollow(zone)) {
          LOG.info("zone={} node={} no longer serves the deleted zone", zone, name);
        } else if (cache.running()) {
          cache.unsubscribe(zone);
          LOG.info("zone={} node={} dropped the deleted zone's subscription and entries", zone, name);
        }
      } catch (RuntimeException e) {
        LOG.error("zone={} node={} cannot drop the deleted zone: {}", zone, name, e.toString());
      }
    }
  }

  /** The node's first {@code tierdns.secondary.zones} entry, renamed to {@code zone}. */
  private static Optional<Map<String, Object>> secondaryEntry(BeanContext node, Name zone) {
    List<?> entries = node.getBean(io.micronaut.context.env.Environment.class)
        .getProperty("tierdns.secondary.zones", List.class).orElse(List.of());
    if (entries.isEmpty() || !(entries.get(0) instanceof Map<?, ?> first)) {
      return Optional.empty();
    }
    Map<String, Object> entry = new LinkedHashMap<>();
    first.forEach((k, v) -> entry.put(String.valueOf(k), v));
    entry.put("name", zone.toString());
    return Optional.of(entry);
  }

  private static String nodeName(BeanContext node) {
    return node.getBean(NodeConfiguration.class).getNodeName();
  }
}
