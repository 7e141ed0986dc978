package io.tierdns.wire.client;

import java.io.IOException;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * Whether bytes received are the response to our query: a parseable message with QR set, our ID
 * and our question (RFC 5452 §4.3 and §9.1; the address and port are checked by the connected
 * socket). A FORMERR may come without a question (RFC 6891 §7 servers that do not parse the query
 * cannot echo it) and is accepted on the ID alone. Pure.
 */
final class ResponseMatcher {

  private ResponseMatcher() {}

  /** The parsed response if it matches {@code query}, else {@code null}. */
  static Message match(Message query, byte[] wire) {
    Message response;
    try {
      response = new Message(wire);
    } catch (IOException | RuntimeException e) { // garbage is not our answer
      return null;
    }
    if (!response.getHeader().getFlag(Flags.QR)
        || response.getHeader().getID() != query.getHeader().getID()) {
      return null;
    }
    Record asked = query.getQuestion();
    Record answered = response.getQuestion();
    if (answered == null) {
      return response.getRcode() == Rcode.FORMERR ? response : null;
    }
    boolean same =
        answered.getType() == asked.getType()
            && answered.getDClass() == asked.getDClass()
            && answered.getName().equals(asked.getName());
    return same ? response : null;
  }
}
