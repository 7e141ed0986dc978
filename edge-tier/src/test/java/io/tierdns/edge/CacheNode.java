package io.tierdns.edge;

import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.authoritative.notify.NotifyScheduler;
import io.tierdns.authoritative.notify.NotifySender;
import io.tierdns.authoritative.notify.NotifyTarget;
import io.tierdns.cache.CachingResolver;
import io.tierdns.cache.ForwardTable;
import io.tierdns.cache.Ticker;
import io.tierdns.cache.Timers;
import io.tierdns.cache.net.DnsClientUpstream;
import io.tierdns.edge.net.DnsZoneFetcher;
import io.tierdns.edge.net.NotifySenderDownstream;
import io.tierdns.wire.DnsServer;
import io.tierdns.wire.ForwardingQueryHandler;
import io.tierdns.wire.QueryHandler;
import io.tierdns.wire.client.DnsClient;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.xbill.DNS.Name;

/**
 * One change-aware cache node on loopback, wired as the node module would: a CachingResolver
 * behind a SubscriptionHandler on a DnsServer, one subscription, NOTIFY to its subscribers.
 * The server is bound first (port 0) so that nodes can learn each other's addresses.
 */
final class CacheNode implements AutoCloseable {

  private volatile QueryHandler handler;
  final DnsServer server;
  CachingResolver resolver;
  ZoneSubscription subscription;
  SubscriptionHandler subscriptionHandler;
  BoundedRead reads;
  private NotifySender sender;

  CacheNode() {
    server = new DnsServer(List.of(new InetSocketAddress("127.0.0.1", 0)), new Deferred());
    server.start();
  }

  InetSocketAddress address() {
    return server.boundAddresses().get(0);
  }

  /** Wires the cache: forwards and subscribes to {@code upstream}, NOTIFYs {@code subscribers}. */
  CacheNode wire(String nodeName, Name zone, InetSocketAddress upstream, List<InetSocketAddress> subscribers,
      DnsClient client, ScheduledExecutorService timers, ExecutorService blocking, EdgeMetrics metrics) {
    Timers t = Timers.of(timers);
    resolver = CachingResolver.builder(ForwardTable.of(new DnsClientUpstream(client, upstream)), t).build();
    sender = new NotifySender(
        z -> subscribers.stream().map(NotifyTarget::new).toList(),
        TsigKeyring.empty(),
        io.tierdns.authoritative.notify.NotifyTransport.udp(client),
        NotifyScheduler.of(timers, Clock.systemUTC()),
        Duration.ZERO);
    SubscriptionConfig config = new SubscriptionConfig(zone, List.of(upstream), subscribers);
    subscription = new ZoneSubscription(config, new CacheEvictor(resolver),
        new DnsZoneFetcher(client, blocking, null, Duration.ofSeconds(5)),
        new NotifySenderDownstream(sender), new RelayHistory(zone), metrics,
        Ticker.system(), t, blocking, ZoneSubscription.DEFAULT_RECHECK);
    Subscriptions subs = new Subscriptions(List.of(subscription));
    subscriptionHandler = new SubscriptionHandler(resolver, subs);
    reads = new BoundedRead(nodeName, resolver, subs, Ticker.system(), t, Duration.ofMillis(20), Duration.ofSeconds(2));
    handler = subscriptionHandler;
    return this;
  }

  @Override
  public void close() {
    if (sender != null) {
      sender.close();
    }
    server.close();
  }

  /** The node's handler once wired; until then none (the server is bound first). */
  private final class Deferred extends ForwardingQueryHandler {
    @Override
    protected QueryHandler delegate() {
      return handler;
    }

    @Override
    public long cacheGeneration() {
      return handler == null ? -1 : handler.cacheGeneration();
    }
  }
}
