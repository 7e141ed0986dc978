package io.tierdns.authoritative.transfer;

import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.acl.TransferAcl;
import io.tierdns.authoritative.acl.TsigVerification;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.ResponseStream;
import io.tierdns.wire.Responses;
import io.tierdns.wire.WireOptions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Serves AXFR and IXFR for the zones of a registry: finds the zone, checks the transfer ACL,
 * builds the answer with {@link TransferResponder} and says how it is signed.
 *
 * <p>Outcomes, in order of the checks: a name that is not the apex of a zone served here, NOTAUTH
 * (as Knot DNS and BIND); a client the zone's {@link TransferAcl} does not allow, REFUSED (as BIND;
 * logged); an IXFR without an SOA in its authority section, FORMERR (RFC 1995 §3); otherwise the
 * transfer. Every answer to a verified signed query is signed with the query's key (RFC 8945
 * §5.3), every message of a stream included (§5.3.1).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5936#section-4.2">RFC 5936 §4.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1995#section-2">RFC 1995 §2</a>
 */
public final class ZoneTransfers {

  private static final Logger log = LoggerFactory.getLogger(ZoneTransfers.class);

  private final ZoneRegistry registry;
  private final TransferResponder responder;
  private final Function<Name, TransferAcl> acls;

  /**
   * @param acls the transfer ACL of a zone; a zone without one must map to {@link
   *     TransferAcl#denyAll()}
   */
  public ZoneTransfers(
      ZoneRegistry registry, TransferResponder responder, Function<Name, TransferAcl> acls) {
    this.registry = registry;
    this.responder = Objects.requireNonNull(responder, "responder");
    this.acls = Objects.requireNonNull(acls, "acls");
  }

  /** True for an AXFR or IXFR question. */
  public static boolean isTransfer(Message query) {
    Record q = query.getQuestion();
    return q != null && (q.getType() == Type.AXFR || q.getType() == Type.IXFR);
  }

  /** The answer to an AXFR or IXFR over TCP, as a stream of messages. */
  public ResponseStream overTcp(Message query, QueryContext context, TsigVerification tsig) {
    Name qname = query.getQuestion().getName();
    boolean axfr = query.getQuestion().getType() == Type.AXFR;
    Object checked = check(query, context, tsig);
    if (checked instanceof Message error) {
      return ResponseStream.single(error);
    }
    ZoneSnapshot zone = (ZoneSnapshot) checked;
    List<Record> records;
    String kind;
    if (axfr) {
      records = TransferResponder.axfrRecords(zone);
      kind = "AXFR";
    } else {
      long clientSerial = clientSerial(query);
      IxfrPlan plan = responder.plan(zone, clientSerial);
      records = TransferResponder.ixfrRecords(zone, plan);
      kind = "IXFR from serial " + clientSerial + " (" + describe(plan) + ")";
    }
    List<Message> messages = responder.messages(query, records);
    log.info(
        "zone={} serial={} {} to {}{}: {} records",
        qname, zone.serial(), kind, client(context), keyNote(tsig), records.size());
    if (tsig instanceof TsigVerification.Verified v) {
      return new ResponseStream(messages, v.key(), v.queryTsig());
    }
    return ResponseStream.of(messages);
  }

  /** The answer to an IXFR over UDP: one message, or our SOA alone when it does not fit. */
  public Message ixfrOverUdp(Message query, QueryContext context, TsigVerification tsig) {
    Object checked = check(query, context, tsig);
    if (checked instanceof Message error) {
      return error;
    }
    ZoneSnapshot zone = (ZoneSnapshot) checked;
    long clientSerial = clientSerial(query);
    IxfrPlan plan = responder.plan(zone, clientSerial);
    Message answer = responder.ixfrUdp(query, zone, plan, udpLimit(query.getOPT()));
    log.debug(
        "zone={} serial={} IXFR over UDP from serial {} to {}: {} records",
        zone.origin(), zone.serial(), clientSerial, client(context),
        answer.getSection(Section.ANSWER).size());
    return tsig.applyTo(answer);
  }

  /** The zone to transfer, or the error response (a Message). */
  private Object check(Message query, QueryContext context, TsigVerification tsig) {
    Name qname = query.getQuestion().getName();
    Optional<ZoneSnapshot> zone = registry.table().zone(qname);
    if (zone.isEmpty()) {
      return tsig.applyTo(Responses.error(query, Rcode.NOTAUTH));
    }
    byte[] address =
        context.remote() == null || context.remote().getAddress() == null
            ? null
            : context.remote().getAddress().getAddress();
    if (!acls.apply(zone.get().origin()).allows(address, tsig.keyName())) {
      log.info(
          "zone={} {} from {}{} refused by the transfer ACL",
          qname, Type.string(query.getQuestion().getType()), client(context), keyNote(tsig));
      return tsig.applyTo(Responses.error(query, Rcode.REFUSED));
    }
    if (query.getQuestion().getType() == Type.IXFR && clientSoa(query) == null) {
      return tsig.applyTo(Responses.error(query, Rcode.FORMERR));
    }
    return zone.get();
  }

  private static SOARecord clientSoa(Message query) {
    for (Record r : query.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord soa) {
        return soa;
      }
    }
    return null;
  }

  private static long clientSerial(Message query) {
    return clientSoa(query).getSerial();
  }

  /**
   * The size an IXFR over UDP may take: 512 without EDNS0, else the client's payload size capped
   * at our default (the wire layer would truncate anything larger).
   */
  public static int udpLimit(OPTRecord opt) {
    if (opt == null) {
      return WireOptions.MIN_UDP_PAYLOAD;
    }
    return Math.max(
        WireOptions.MIN_UDP_PAYLOAD,
        Math.min(opt.getPayloadSize(), WireOptions.DEFAULT_UDP_PAYLOAD));
  }

  private static String describe(IxfrPlan plan) {
    if (plan instanceof IxfrPlan.FullZone f) {
      return "full zone: " + f.reason();
    }
    if (plan instanceof IxfrPlan.Incremental i) {
      return "incremental, -" + i.diff().removed().size() + " +" + i.diff().added().size();
    }
    return "up to date";
  }

  private static String client(QueryContext context) {
    return context.remote() == null ? "?" : context.remote().toString();
  }

  private static String keyNote(TsigVerification tsig) {
    Name key = tsig.keyName();
    return key == null ? "" : " key " + key;
  }
}
