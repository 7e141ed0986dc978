package io.tierdns.wire;

import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/**
 * The seam between the transport ({@code wire}) and a role (authoritative, cache, edge).
 *
 * <p>The wire layer has already decoded the header and question, checked EDNS0 (RFC 6891 §6.1.1:
 * at most one OPT, version 0) and will add the response OPT record and apply truncation when it
 * encodes the answer. A handler therefore builds a plain response and never deals with payload
 * sizes. DNS outcomes (NXDOMAIN, REFUSED, SERVFAIL ...) are returned as response messages; an
 * exceptionally completed stage or a thrown exception is answered with SERVFAIL by the wire layer.
 *
 * <p>On TCP a handler may answer with several messages (a zone transfer): {@link #streams} says
 * so for a query, and {@link #handleStream} gives the messages, which the wire layer patches,
 * signs as a TSIG stream when asked, and frames one by one.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1035#section-4.1">RFC 1035 §4.1</a>
 */
@FunctionalInterface
public interface QueryHandler {

  /**
   * Answers one query.
   *
   * @param query the decoded query; exactly one question; never a response (QR clear)
   * @param context transport and addresses of the query
   * @return the response, or a stage completing with {@code null} to send nothing
   */
  CompletionStage<Message> handle(Message query, QueryContext context);

  /**
   * Whether this query is answered with several messages ({@link #handleStream}). Asked only for
   * queries over TCP, after the wire layer's checks; must be cheap (look at the question type).
   * The default answers every query with one message.
   *
   * @see <a href="https://www.rfc-editor.org/rfc/rfc5936#section-2.2">RFC 5936 §2.2</a>
   */
  default boolean streams(Message query, QueryContext context) {
    return false;
  }

  /**
   * Answers one query with several messages, sent in order on the query's TCP connection. Called
   * only when {@link #streams} returned true. The default wraps {@link #handle}.
   *
   * @return the messages, or a stage completing with {@code null} to send nothing
   */
  default CompletionStage<ResponseStream> handleStream(Message query, QueryContext context) {
    return handle(query, context).thenApply(m -> m == null ? null : ResponseStream.single(m));
  }

  /** {@link #replaySeconds}: replay for as long as the generation holds, TTLs as stored. */
  int REPLAY_UNTIL_CHANGE = -1;

  /**
   * The generation of the data answers come from right now, or {@code -1} (the default) when no
   * answer may be replayed from the wire layer's packet cache.
   *
   * <p>A handler that returns a generation ≥ 0 promises that, while the generation stays the
   * same, its answer to a plain standard query (opcode QUERY, one question, no TSIG, no EDNS
   * option; see {@link PacketKey}) depends on nothing but the question, the header flags, the
   * transport and the query's EDNS0 presence, DO bit and payload size: not on the client's
   * address or the ID, and not on the clock except for TTLs counting down as {@link
   * #replaySeconds} describes. Every change to the data must increase the generation, after
   * the changed data is published (a query that reads the old generation may see the new data,
   * harmlessly; one that reads the new generation must never see the old data). Called on every
   * query: must be a plain field read.
   */
  default long cacheGeneration() {
    return -1;
  }

  /**
   * How the wire layer may replay {@code response}, the answer to {@code query}, from its packet
   * cache. Asked only for an answer that could be stored: {@link #cacheGeneration()} was not
   * negative and the query is a plain standard query.
   *
   * <ul>
   *   <li>{@link #REPLAY_UNTIL_CHANGE} (the default): for as long as the generation holds, bytes
   *       as they are (authoritative data, whose TTLs do not age);
   *   <li>{@code 0}: never (an answer that depends on the client, or a stale one);
   *   <li>{@code n > 0}: for at most {@code n} seconds, and never past the smallest TTL in it,
   *       with every TTL but the OPT's counted down by the whole seconds passed since it was
   *       stored, as a cache counts its TTLs down.
   * </ul>
   */
  default int replaySeconds(Message query, Message response) {
    return REPLAY_UNTIL_CHANGE;
  }

  /**
   * Told of every answer the wire layer sent from its packet cache without asking {@link
   * #handle}, so a handler that counts its answers (a cache's hit counter) still counts these.
   * Called on the serving path: must be a counter increment at most.
   */
  default void replayed() {}
}
