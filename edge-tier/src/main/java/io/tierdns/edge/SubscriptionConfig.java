package io.tierdns.edge;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * One zone a cache subscribes to: {@code tierdns.cache.subscriptions[]} of the node
 * configuration.
 *
 * @param zone the zone apex, absolute
 * @param upstreams the servers it takes NOTIFY from and reads SOA and IXFR from (a secondary, a
 *     primary or another subscribed cache); NOTIFY is accepted only from their addresses
 * @param subscribers the subscribed caches (YAML {@code notify:}) below this one, NOTIFYed after each change
 * @param tsigKey the TSIG key name for SOA/IXFR to the upstreams and for NOTIFY to the
 *     subscribers, or {@code null} for none
 */
public record SubscriptionConfig(
    Name zone, List<InetSocketAddress> upstreams, List<InetSocketAddress> subscribers, Name tsigKey) {

  public SubscriptionConfig {
    Objects.requireNonNull(zone, "zone");
    if (!zone.isAbsolute()) {
      throw new IllegalArgumentException("subscribed zone must be absolute: " + zone);
    }
    zone = zone.canonicalize();
    upstreams = List.copyOf(upstreams);
    subscribers = List.copyOf(subscribers);
    if (upstreams.isEmpty()) {
      throw new IllegalArgumentException("subscription to " + zone + " has no upstream");
    }
  }

  public SubscriptionConfig(Name zone, List<InetSocketAddress> upstreams, List<InetSocketAddress> subscribers) {
    this(zone, upstreams, subscribers, null);
  }

  /** Whether {@code address} is one of the upstreams (the port is not compared: NOTIFY comes from any). */
  public boolean isUpstream(InetAddress address) {
    return upstreams.stream().anyMatch(u -> u.getAddress().equals(address));
  }

  /** Whether {@code address} is one of the subscribers (any port). */
  public boolean isSubscriber(InetAddress address) {
    return subscribers.stream().anyMatch(u -> u.getAddress().equals(address));
  }
}
