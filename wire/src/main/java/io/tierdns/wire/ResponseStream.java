package io.tierdns.wire;

import java.util.AbstractList;
import java.util.Collections;
import java.util.Iterator;
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
 * <p>With {@code key} null, a stream of one message is rendered as a single response would be: a
 * message on which the handler called {@link org.xbill.DNS.Message#setTSIG} (such as a TSIG error
 * response) is signed by that setting alone. The messages of a longer stream are rendered by the
 * wire layer's own renderer (the bytes dnsjava would give, in time linear in each message's
 * size), which ignores such a setting: sign a longer stream with {@code key}.
 *
 * @param messages the messages, in order; at least one; each must fit in 65535 bytes with its TSIG.
 *     The list is not copied, and must not change: it may build each message when it is asked for
 *     (a zone transfer's messages are built one at a time, as the wire layer renders them); the
 *     wire layer takes them once each, in order, with the list's iterator, and never asks its size
 * @param key the key to sign every message with, or {@code null} for no stream signing
 * @param queryTsig the query's TSIG record, whose MAC the first message's MAC covers; {@code null}
 *     when {@code key} is null
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5936#section-2.2">RFC 5936 §2.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8945#section-5.3.1">RFC 8945 §5.3.1</a>
 */
public record ResponseStream(List<org.xbill.DNS.Message> messages, TSIG key, TSIGRecord queryTsig) {

  public ResponseStream {
    messages = Collections.unmodifiableList(Objects.requireNonNull(messages, "messages"));
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a response stream needs at least one message");
    }
    if (key != null && queryTsig == null) {
      throw new IllegalArgumentException("a signed stream needs the query's TSIG record");
    }
  }

  /**
   * This stream with its first message replaced (to add an option to it, say); the others are
   * not built here.
   */
  public ResponseStream withFirst(org.xbill.DNS.Message first) {
    Objects.requireNonNull(first, "first");
    List<org.xbill.DNS.Message> rest = messages;
    List<org.xbill.DNS.Message> replaced =
        new AbstractList<>() {
          @Override
          public org.xbill.DNS.Message get(int i) {
            return i == 0 ? first : rest.get(i);
          }

          @Override
          public int size() {
            return rest.size();
          }

          @Override
          public boolean isEmpty() {
            return false;
          }

          @Override
          public Iterator<org.xbill.DNS.Message> iterator() {
            Iterator<org.xbill.DNS.Message> after = rest.iterator();
            after.next(); // the message replaced
            return new Iterator<>() {
              private boolean atFirst = true;

              @Override
              public boolean hasNext() {
                return atFirst || after.hasNext();
              }

              @Override
              public org.xbill.DNS.Message next() {
                if (atFirst) {
                  atFirst = false;
                  return first;
                }
                return after.next();
              }
            };
          }
        };
    return new ResponseStream(replaced, key, queryTsig);
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
