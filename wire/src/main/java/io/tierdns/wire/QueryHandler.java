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
}
