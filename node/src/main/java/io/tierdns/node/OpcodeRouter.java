package io.tierdns.node;

import io.tierdns.wire.QueryContext;
import io.tierdns.wire.QueryHandler;
import io.tierdns.wire.ResponseStream;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;

/** Routes RFC 2136 UPDATE to its handler and every other opcode to the query handler. */
final class OpcodeRouter implements QueryHandler {

  private final QueryHandler queries;
  private final QueryHandler updates;

  OpcodeRouter(QueryHandler queries, QueryHandler updates) {
    this.queries = queries;
    this.updates = updates;
  }

  @Override
  public CompletionStage<Message> handle(Message query, QueryContext context) {
    if (query.getHeader().getOpcode() == Opcode.UPDATE) {
      return updates.handle(query, context);
    }
    return queries.handle(query, context);
  }

  /**
   * The authoritative answers' generation: UPDATE (and every other non-QUERY opcode) bypasses the
   * packet cache before it gets here.
   */
  @Override
  public long cacheGeneration() {
    return queries.cacheGeneration();
  }

  @Override
  public int replaySeconds(Message query, Message response) {
    return queries.replaySeconds(query, response);
  }

  @Override
  public boolean streams(Message query, QueryContext context) {
    return query.getHeader().getOpcode() != Opcode.UPDATE && queries.streams(query, context);
  }

  @Override
  public CompletionStage<ResponseStream> handleStream(Message query, QueryContext context) {
    return queries.handleStream(query, context);
  }
}
