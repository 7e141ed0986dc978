package io.tierdns.zonesync;

import io.tierdns.wire.ForwardingQueryHandler;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.QueryHandler;
import io.tierdns.wire.ResponseStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.ToLongFunction;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import io.tierdns.wire.WireOptions;

/**
 * Answers the EDNS EXPIRE option (RFC 7314 §3) around another handler: when a query asks for it
 * and {@code secondsFor} knows the zone of the question, the response (the first message of a
 * transfer) carries the option with that value. On a secondary the value is the time left until
 * the zone expires here; on a primary it is the SOA EXPIRE ({@link #forPrimary}).
 *
 * <p>The wire layer keeps the options of the handler's OPT when it writes its own (it does so for
 * Extended DNS Errors), so adding an OPT here is enough.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7314#section-3">RFC 7314 §3</a>
 */
public final class ExpireOptionHandler extends ForwardingQueryHandler {

  private final QueryHandler delegate;
  private final ToLongFunction<Name> secondsFor;

  /**
   * @param secondsFor the EXPIRE value for the zone of a question name, or a negative number when
   *     no option should be added (not our zone, not loaded)
   */
  public ExpireOptionHandler(QueryHandler delegate, ToLongFunction<Name> secondsFor) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.secondsFor = Objects.requireNonNull(secondsFor, "secondsFor");
  }

  /**
   * For a primary: the SOA EXPIRE of the served zone enclosing the question name (RFC 7314 §4: a
   * primary answers with its SOA EXPIRE field).
   */
  public static ExpireOptionHandler forPrimary(QueryHandler delegate, io.tierdns.authoritative.ZoneRegistry registry) {
    return new ExpireOptionHandler(
        delegate, name -> registry.table().findZone(name).map(z -> z.soa().getExpire()).orElse(-1L));
  }

  @Override
  public CompletionStage<Message> handle(Message query, QueryContext context) {
    CompletionStage<Message> answer = delegate.handle(query, context);
    if (!EdnsExpire.requested(query) || query.getQuestion() == null) {
      return answer;
    }
    Name qname = query.getQuestion().getName();
    return answer.thenApply(r -> r == null ? null : withExpire(r, secondsFor.applyAsLong(qname)));
  }

  /**
   * Everything but the option, the packet-cache generation too: a query asking for EXPIRE
   * carries an EDNS option, so its answer, which ages, is never stored by the wire layer.
   */
  @Override
  protected QueryHandler delegate() {
    return delegate;
  }

  @Override
  public CompletionStage<ResponseStream> handleStream(Message query, QueryContext context) {
    CompletionStage<ResponseStream> answer = delegate.handleStream(query, context);
    if (!EdnsExpire.requested(query) || query.getQuestion() == null) {
      return answer;
    }
    Name qname = query.getQuestion().getName();
    return answer.thenApply(
        s ->
            s == null
                ? null
                : s.withFirst(withExpire(s.messages().get(0), secondsFor.applyAsLong(qname))));
  }

  /** Adds the option to an authoritative NOERROR/NXDOMAIN answer; returns the message. */
  static Message withExpire(Message response, long seconds) {
    int rcode = response.getRcode();
    if (seconds < 0 || (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN)) {
      return response;
    }
    OPTRecord old = response.getOPT();
    List<EDNSOption> options = new ArrayList<>();
    int payload = WireOptions.DEFAULT_UDP_PAYLOAD;
    int extRcode = 0;
    int flags = 0;
    if (old != null) {
      options.addAll(old.getOptions());
      payload = old.getPayloadSize();
      extRcode = old.getExtendedRcode();
      flags = old.getFlags();
      for (Record r : response.getSection(Section.ADDITIONAL)) {
        if (r instanceof OPTRecord) {
          response.removeRecord(r, Section.ADDITIONAL);
        }
      }
    }
    options.add(EdnsExpire.response(seconds));
    response.addRecord(new OPTRecord(payload, extRcode, 0, flags, options), Section.ADDITIONAL);
    return response;
  }
}
