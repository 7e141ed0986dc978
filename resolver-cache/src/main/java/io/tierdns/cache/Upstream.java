package io.tierdns.cache;

import io.tierdns.wire.Transport;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/**
 * One server the cache forwards to: a tierdns node, NSD, Knot DNS, BIND, Unbound.
 *
 * <p>Implementations send the query as given (the caller has set ID, RD and EDNS0), match the
 * response to it (ID and question, RFC 5452 §9.1) and fail the stage on socket errors; they need
 * not time out, the {@link UpstreamSelector} does. They do not retry and do not interpret rcodes.
 */
public interface Upstream {

  /** A stable, human-readable name such as {@code 192.0.2.1:53}: the metrics tag and log key. */
  String name();

  /**
   * Sends one query.
   *
   * @param query the query; must not be modified
   * @param transport UDP, or TCP (RFC 7766), for instance after a truncated UDP answer
   * @return the matching response, or a stage failed with an {@link UpstreamException}
   */
  CompletionStage<Message> query(Message query, Transport transport);
}
