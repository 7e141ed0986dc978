package io.tierdns.node;

import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.QueryHandler;
import io.tierdns.wire.ResponseStream;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;

/**
 * A node with both roles: questions inside a zone it is authoritative for (and every non-QUERY
 * opcode, such as UPDATE and NOTIFY) go to the authoritative handler, the rest to the cache.
 */
final class ZoneRouter implements QueryHandler {

  private final ZoneRegistry zones;
  private final QueryHandler authoritative;
  private final QueryHandler cache;

  ZoneRouter(ZoneRegistry zones, QueryHandler authoritative, QueryHandler cache) {
    this.zones = zones;
    this.authoritative = authoritative;
    this.cache = cache;
  }

  private QueryHandler route(Message query) {
    Record q = query.getQuestion();
    if (query.getHeader().getOpcode() != Opcode.QUERY || q == null) {
      return authoritative;
    }
    return zones.table().findZone(q.getName()).isPresent() ? authoritative : cache;
  }

  @Override
  public CompletionStage<Message> handle(Message query, QueryContext context) {
    return route(query).handle(query, context);
  }

  @Override
  public boolean streams(Message query, QueryContext context) {
    return route(query).streams(query, context);
  }

  @Override
  public CompletionStage<ResponseStream> handleStream(Message query, QueryContext context) {
    return route(query).handleStream(query, context);
  }
}
