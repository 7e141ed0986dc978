package io.tierdns.wire;

import java.util.List;
import java.util.Objects;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * A response made of several DNS messages on one TCP connection, such as a zone transfer.
 *
 * <p>The wire layer patches every message as it does a single response (ID, QR, the question in
 * the query's letter case), adds its OPT to the first message only when the query had one, and
 * then, when {@code key} is given, signs every message in order as a TSIG stream (RFC 8945
 * §5.3.1, each MAC covering the previous one). Messages are sent in list order, with nothing of
 * another pipelined query between them.
 *
 * <p>With {@code key} null, each message is rendered as a single response would be: a message on
 * which the handler called {@link org.xbill.DNS.Message#setTSIG} (such as a TSIG error response)
 * is signed by that setting alone.
 *
 * @param messages the messages, in order; at least one; each must fit in 65535 bytes with its TSIG
 * @param key the key to sign every message with, or {@code null} for no stream signing
 * @param queryTsig the query's TSIG record, whose MAC the first message's MAC covers; {@code null}
 *     when {@code key} is null
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5936#section-2.2">RFC 5936 §2.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8945#section-5.3.1">RFC 8945 §5.3.1</a>
 */
public record ResponseStream(List<org.xbill.DNS.Message> messages, TSIG key, TSIGRecord queryTsig) {

  public ResponseStream {
    messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a response stream needs at least one message");
    }
    if (key != null && queryTsig == null) {
      throw new IllegalArgumentException("a signed stream needs the query's TSIG record");
    }
  }

  /** An unsigned stream. */
  public static ResponseStream of(List<org.xbill.DNS.Message> messages) {
    return new ResponseStream(messages, null, null);
  }

  /** A stream of one message, rendered exactly as a single response. */
  public static ResponseStream single(org.xbill.DNS.Message message) {
    return new ResponseStream(List.of(message), null, null);
  }
}
