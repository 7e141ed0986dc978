package io.tierdns.node;

import io.tierdns.wire.ForwardingQueryHandler;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.QueryHandler;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;

/**
 * Routes RFC 2136 UPDATE to its handler and every other opcode to the query handler, whose
 * packet-cache generation it keeps: UPDATE (and every other non-QUERY opcode) bypasses the packet
 * cache before it gets here. The query handler answers NOTIFY with NOTAUTH (a primary takes no
 * zone as a secondary; RFC 1996 §3.7) and the remaining opcodes NOTIMP.
 */
final class OpcodeRouter extends ForwardingQueryHandler {

  private final QueryHandler queries;
  private final QueryHandler updates;

  OpcodeRouter(QueryHandler queries, QueryHandler updates) {
    this.queries = queries;
    this.updates = updates;
  }

  @Override
  protected QueryHandler delegate() {
    return queries;
  }

  @Override
  public CompletionStage<Message> handle(Message query, QueryContext context) {
    if (query.getHeader().getOpcode() == Opcode.UPDATE) {
      return updates.handle(query, context);
    }
    return queries.handle(query, context);
  }

  @Override
  public boolean streams(Message query, QueryContext context) {
    return query.getHeader().getOpcode() != Opcode.UPDATE && queries.streams(query, context);
  }
}
