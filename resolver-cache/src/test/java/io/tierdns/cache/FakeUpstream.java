package io.tierdns.cache;

import io.tierdns.wire.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.xbill.DNS.Message;

/**
 * A scripted {@link Upstream}: answers through a function, or leaves queries pending until the
 * test completes them. Records every query with its transport.
 */
final class FakeUpstream implements Upstream {

  record Sent(Message query, Transport transport, CompletableFuture<Message> result) {}

  private final String name;
  private volatile BiFunction<Message, Transport, Message> answer;
  private volatile boolean hold;
  private final List<Sent> sent = new ArrayList<>();

  FakeUpstream(String name) {
    this.name = name;
  }

  /** Answers every query with {@code answer}; a null answer fails the query. */
  FakeUpstream answering(BiFunction<Message, Transport, Message> answer) {
    this.answer = answer;
    this.hold = false;
    return this;
  }

  /** Leaves queries pending (a dead or slow server). */
  FakeUpstream holding() {
    this.hold = true;
    return this;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized CompletionStage<Message> query(Message query, Transport transport) {
    CompletableFuture<Message> f = new CompletableFuture<>();
    sent.add(new Sent(query, transport, f));
    if (!hold) {
      Message m = answer == null ? null : answer.apply(query, transport);
      if (m == null) {
        f.completeExceptionally(new UpstreamException(UpstreamError.NETWORK, name + " refused connection"));
      } else {
        f.complete(m);
      }
    }
    return f;
  }

  synchronized List<Sent> sent() {
    return List.copyOf(sent);
  }

  synchronized int count() {
    return sent.size();
  }

  /** Completes every pending query with the current answer function. */
  void release() {
    for (Sent s : sent()) {
      if (!s.result().isDone()) {
        s.result().complete(answer.apply(s.query(), s.transport()));
      }
    }
  }
}
