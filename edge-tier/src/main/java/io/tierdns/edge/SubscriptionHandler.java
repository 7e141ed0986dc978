package io.tierdns.edge;

import io.tierdns.wire.ForwardingQueryHandler;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.QueryHandler;
import io.tierdns.wire.ResponseStream;
import io.tierdns.wire.Responses;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The query handler of a change-aware cache node: wraps the cache's handler (normally a {@link
 * io.tierdns.cache.CachingResolver}) and adds the subscription traffic.
 *
 * <ul>
 *   <li>NOTIFY (RFC 1996 §3.7): for a zone not subscribed, NOTAUTH; from an address that is not an
 *       upstream of the subscription, REFUSED (logged); otherwise NOERROR at once (AA set, the
 *       question echoed) and a refresh is scheduled.
 *   <li>SOA or IXFR for the apex of a subscribed zone from one of its subscribers: answered by the
 *       relay ({@link RelayResponder}); IXFR over TCP as a stream.
 *   <li>Anything else: the cache.
 * </ul>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1996#section-3">RFC 1996 §3</a>
 */
public final class SubscriptionHandler extends ForwardingQueryHandler {

  private static final Logger log = LoggerFactory.getLogger(SubscriptionHandler.class);

  private final QueryHandler cache;
  private final Subscriptions subscriptions;

  public SubscriptionHandler(QueryHandler cache, Subscriptions subscriptions) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
  }

  /** The cache: everything but the subscription traffic, the packet-cache generation too. */
  @Override
  protected QueryHandler delegate() {
    return cache;
  }

  @Override
  public CompletionStage<Message> handle(Message query, QueryContext context) {
    if (query.getHeader().getOpcode() == Opcode.NOTIFY) {
      return CompletableFuture.completedFuture(notify(query, context));
    }
    Optional<ZoneSubscription> relay = relayed(query, context);
    if (relay.isPresent()) {
      RelayResponder responder = new RelayResponder(relay.get().history());
      Optional<Message> answer =
          query.getQuestion().getType() == Type.SOA ? responder.soa(query) : responder.ixfrUdp(query);
      if (answer.isPresent()) {
        return CompletableFuture.completedFuture(answer.get());
      }
    }
    return cache.handle(query, context);
  }

  @Override
  public boolean streams(Message query, QueryContext context) {
    if (query.getHeader().getOpcode() == Opcode.QUERY
        && query.getQuestion().getType() == Type.IXFR
        && relayed(query, context).isPresent()) {
      return true;
    }
    return cache.streams(query, context);
  }

  @Override
  public CompletionStage<ResponseStream> handleStream(Message query, QueryContext context) {
    Optional<ZoneSubscription> relay = relayed(query, context);
    if (relay.isPresent() && query.getQuestion().getType() == Type.IXFR) {
      Optional<List<Message>> messages = new RelayResponder(relay.get().history()).ixfr(query);
      if (messages.isPresent()) {
        log.debug("zone={} IXFR relayed to {}: {} messages",
            relay.get().zone(), context.remote(), messages.get().size());
        return CompletableFuture.completedFuture(ResponseStream.of(messages.get()));
      }
      return CompletableFuture.completedFuture(
          ResponseStream.single(Responses.error(query, Rcode.SERVFAIL)));
    }
    return cache.handleStream(query, context);
  }

  /**
   * Never an SOA answer: for a subscriber the relay answers SOA queries from the subscription's
   * history, so such an answer depends on the client and must neither be replayed to others nor
   * replayed in place of the relay's. Everything else as the cache says.
   */
  @Override
  public int replaySeconds(Message query, Message response) {
    Record q = query.getQuestion();
    if (q == null || q.getType() == Type.SOA) {
      return 0;
    }
    return cache.replaySeconds(query, response);
  }

  private Message notify(Message query, QueryContext context) {
    Record q = query.getQuestion();
    Optional<ZoneSubscription> sub =
        q.getDClass() == DClass.IN && q.getType() == Type.SOA
            ? subscriptions.of(q.getName())
            : Optional.empty();
    if (sub.isEmpty()) {
      return Responses.error(query, Rcode.NOTAUTH);
    }
    InetAddress from = context.remote() == null ? null : context.remote().getAddress();
    if (!sub.get().acceptsNotifyFrom(from)) {
      log.info("zone={} NOTIFY from {} refused: not an upstream of the subscription",
          sub.get().zone(), context.remote());
      return Responses.error(query, Rcode.REFUSED);
    }
    sub.get().notified(context.remote(), announcedSerial(query, q.getName()));
    Message ack = Responses.reply(query);
    ack.getHeader().setFlag(Flags.AA);
    return ack;
  }

  /** The serial of the zone's SOA in a NOTIFY's answer section (RFC 1996 §3.7), or -1. */
  private static long announcedSerial(Message notify, Name zone) {
    for (Record r : notify.getSection(Section.ANSWER)) {
      if (r instanceof SOARecord soa && r.getName().equals(zone)) {
        return soa.getSerial();
      }
    }
    return -1;
  }

  /** The subscription whose relay answers this query, if any. */
  private Optional<ZoneSubscription> relayed(Message query, QueryContext context) {
    if (query.getHeader().getOpcode() != Opcode.QUERY) {
      return Optional.empty();
    }
    Record q = query.getQuestion();
    if ((q.getType() != Type.SOA && q.getType() != Type.IXFR) || q.getDClass() != DClass.IN) {
      return Optional.empty();
    }
    InetAddress from = context.remote() == null ? null : context.remote().getAddress();
    return subscriptions.of(q.getName()).filter(s -> from != null && s.config().isSubscriber(from));
  }
}
