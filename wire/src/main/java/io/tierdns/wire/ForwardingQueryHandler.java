package io.tierdns.wire;

import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/**
 * A {@link QueryHandler} that hands every call to another one; a wrapper overrides only what it
 * changes. Everything is forwarded, the packet-cache contract ({@link #cacheGeneration()}, {@link
 * #replaySeconds}) included, so a wrapper never turns the packet cache off (or on) by forgetting
 * a method.
 */
public abstract class ForwardingQueryHandler implements QueryHandler {

  /** The handler calls go to; read on every call, so it may change over time. */
  protected abstract QueryHandler delegate();

  @Override
  public CompletionStage<Message> handle(Message query, QueryContext context) {
    return delegate().handle(query, context);
  }

  @Override
  public boolean streams(Message query, QueryContext context) {
    return delegate().streams(query, context);
  }

  @Override
  public CompletionStage<ResponseStream> handleStream(Message query, QueryContext context) {
    return delegate().handleStream(query, context);
  }

  @Override
  public long cacheGeneration() {
    return delegate().cacheGeneration();
  }

  @Override
  public int replaySeconds(Message query, Message response) {
    return delegate().replaySeconds(query, response);
  }

  @Override
  public void replayed() {
    delegate().replayed();
  }
}
