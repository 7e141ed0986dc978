package io.tierdns.authoritative;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tierdns.authoritative.acl.TransferAcl;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.authoritative.acl.TsigVerification;
import io.tierdns.authoritative.edit.ZoneHistory;
import io.tierdns.authoritative.transfer.TransferResponder;
import io.tierdns.authoritative.transfer.ZoneTransfers;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.QueryHandler;
import io.tierdns.wire.ResponseStream;
import io.tierdns.wire.Transport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers queries from the zones of a {@link ZoneRegistry}: the authoritative role.
 *
 * <p>Design note. One query reads {@link ZoneRegistry#table()} once and works on that immutable
 * table: no lock, no half-applied change. {@link ZoneLookup} answers within one zone; this class
 * adds what spans zones and sections: it follows CNAME chains into every zone served here (at
 * most {@value #MAX_CHAIN} CNAMEs, stopping at a loop or an out-of-zone target), picks the zone
 * for DS on the parent side, fills the authority section (negative SOA with TTL = min(TTL,
 * MINIMUM), RFC 2308 §3; NS of a referral) and the additional section (A/AAAA of NS, MX and SRV
 * targets in served zones; glue). Positive answers carry no NS set in authority, as Knot DNS.
 * Behaviour choices and where they follow Knot DNS are listed in the module README.
 *
 * <p>Zone transfers (AXFR, IXFR; {@link ZoneTransfers}) go through the transfer ACL of the zone,
 * are answered over TCP as a stream of messages, and IXFR over UDP as one message or the SOA
 * alone. A TSIG-signed standard query is verified against the {@link TsigKeyring} and answered
 * signed; a failed check is answered NOTAUTH with the TSIG error (RFC 8945 §5.2).
 *
 * <p>Answers to plain standard queries depend only on the zone table, so {@link
 * #cacheGeneration()} hands the wire layer's packet cache the registry's version: a zone change
 * makes every stored answer unreachable at once.
 *
 * <p>DNS outcomes are response messages. An unexpected exception completes the stage
 * exceptionally, which the wire layer answers with SERVFAIL.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1034#section-4.3.2">RFC 1034 §4.3.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8482#section-4.1">RFC 8482 §4.1</a>
 */
public final class AuthoritativeHandler implements QueryHandler {

  /** The longest CNAME chain followed; a longer chain is answered as far as this bound. */
  public static final int MAX_CHAIN = 16;

  private static final OPTRecord NOT_AUTHORITATIVE =
      new OPTRecord(
          1232, 0, 0, 0,
          List.of(new ExtendedErrorCodeOption(ExtendedErrorCodeOption.NOT_AUTHORITATIVE)));

  private final ZoneRegistry registry;
  private final Metrics metrics;
  private final TsigKeyring keyring;
  private final ZoneTransfers transfers;

  /** A handler without metrics; transfers refused to everyone, no TSIG keys. */
  public AuthoritativeHandler(ZoneRegistry registry) {
    this(registry, null);
  }

  /**
   * A handler with transfers refused to everyone and no TSIG keys.
   *
   * @param meters where {@code authoritative.*} meters go, or {@code null} for none
   */
  public AuthoritativeHandler(ZoneRegistry registry, MeterRegistry meters) {
    this(registry, meters, null, zone -> TransferAcl.denyAll(), TsigKeyring.empty());
  }

  /**
   * A handler that serves zone transfers and TSIG.
   *
   * @param meters where {@code authoritative.*} meters go, or {@code null} for none
   * @param history the journal for IXFR, or {@code null} to answer IXFR with the whole zone
   * @param acls the transfer ACL per zone apex; {@link TransferAcl#denyAll()} for a zone without
   * @param keyring the TSIG keys: signed queries are verified against them and answered signed;
   *     a query that fails gets NOTAUTH with the TSIG error (RFC 8945 §5.2)
   */
  public AuthoritativeHandler(
      ZoneRegistry registry,
      MeterRegistry meters,
      ZoneHistory history,
      Function<Name, TransferAcl> acls,
      TsigKeyring keyring) {
    this.registry = registry; // null is allowed: a query then fails with SERVFAIL (tested)
    this.metrics = new Metrics(meters);
    this.keyring = Objects.requireNonNull(keyring, "keyring");
    this.transfers = new ZoneTransfers(registry, new TransferResponder(history), acls);
  }

  @Override
  public CompletionStage<Message> handle(Message query, QueryContext context) {
    try {
      return CompletableFuture.completedFuture(respond(query, context));
    } catch (RuntimeException e) {
      metrics.error();
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The registry's {@link ZoneRegistry#version()}: every answer the packet cache may replay (no
   * TSIG, opcode QUERY, not a transfer) is a function of the question, the transport and the zone
   * table alone.
   */
  @Override
  public long cacheGeneration() {
    return registry == null ? -1 : registry.version();
  }

  /** AXFR and IXFR over TCP are answered with several messages ({@link #handleStream}). */
  @Override
  public boolean streams(Message query, QueryContext context) {
    return context.transport() == Transport.TCP
        && query.getHeader().getOpcode() == Opcode.QUERY
        && ZoneTransfers.isTransfer(query)
        && query.getQuestion().getDClass() == DClass.IN;
  }

  @Override
  public CompletionStage<ResponseStream> handleStream(Message query, QueryContext context) {
    try {
      TsigVerification tsig = keyring.verify(query, context.wire());
      ResponseStream stream =
          tsig instanceof TsigVerification.Failed
              ? ResponseStream.single(tsig.applyTo(start(query)))
              : transfers.overTcp(query, context, tsig);
      metrics.response(stream.messages().get(0).getHeader().getRcode());
      return CompletableFuture.completedFuture(stream);
    } catch (RuntimeException e) {
      metrics.error();
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The response to one query with its context: TSIG checked and applied (RFC 8945 §5.2, §5.3),
   * IXFR over UDP served (RFC 1995 §2), everything else as {@link #respond(Message, Transport)}.
   * Only standard queries are TSIG-checked here; other opcodes keep their own handling.
   */
  private Message respond(Message query, QueryContext context) {
    if (query.getHeader().getOpcode() != Opcode.QUERY || query.getTSIG() == null
        && !(context.transport() == Transport.UDP && isIxfr(query))) {
      return respond(query, context.transport());
    }
    TsigVerification tsig = keyring.verify(query, context.wire());
    Message response;
    if (tsig instanceof TsigVerification.Failed) {
      response = start(query);
      metrics.response(Rcode.NOTAUTH);
    } else if (context.transport() == Transport.UDP && isIxfr(query)) {
      response = transfers.ixfrOverUdp(query, context, tsig);
      metrics.response(response.getHeader().getRcode());
    } else {
      response = respond(query, context.transport());
    }
    return tsig.applyTo(response);
  }

  private static boolean isIxfr(Message query) {
    Record q = query.getQuestion();
    return q != null && q.getType() == Type.IXFR && q.getDClass() == DClass.IN;
  }

  /**
   * Builds the response to one query, synchronously.
   *
   * @param transport UDP or TCP: AXFR over UDP is refused differently
   */
  public Message respond(Message query, Transport transport) {
    Message response = start(query);
    int rcode = answer(query, response, transport);
    response.getHeader().setRcode(rcode);
    metrics.response(rcode);
    return response;
  }

  /** The header copied from the query (ID, opcode, RD), QR set, the question as received. */
  private static Message start(Message query) {
    Header q = query.getHeader();
    Message response = new Message(q.getID());
    Header h = response.getHeader();
    h.setFlag(Flags.QR);
    if (q.getFlag(Flags.RD)) {
      h.setFlag(Flags.RD);
    }
    h.setOpcode(q.getOpcode());
    Record question = query.getQuestion();
    if (question != null) {
      // The same Name object: its case (DNS 0x20) goes back as received.
      response.addRecord(question, Section.QUESTION);
    }
    return response;
  }

  private int answer(Message query, Message response, Transport transport) {
    int opcode = query.getHeader().getOpcode();
    if (opcode == Opcode.NOTIFY) {
      // RFC 1996 §3.7 (and Knot, BIND): this handler takes no zone as a secondary, so a NOTIFY
      // for any zone, served here as primary or not at all, is NOTAUTH. A secondary's
      // NOTIFY intake answers the NOTIFYs for its zones before they get here.
      return Rcode.NOTAUTH;
    }
    if (opcode != Opcode.QUERY) {
      return Rcode.NOTIMP; // UPDATE has its own handler in front of this one
    }
    Record question = query.getQuestion();
    if (question == null) {
      return Rcode.FORMERR;
    }
    int qclass = question.getDClass();
    if (qclass != DClass.IN && qclass != DClass.ANY) {
      return Rcode.REFUSED; // only IN zones are served
    }
    // QCLASS ANY (RFC 1035 §3.2.5) matches the IN data, the only class served: answered from it
    // as Knot and NSD do, the question echoed with class ANY.
    int qtype = question.getType();
    if (qtype == Type.AXFR) {
      // RFC 5936 §4.2: AXFR over UDP is not defined; Knot answers NOTIMP.
      return transport == Transport.UDP ? Rcode.NOTIMP : Rcode.REFUSED;
    }
    if (qtype == Type.IXFR) {
      // Without the query's context (client address) no transfer ACL can allow it; {@link
      // #handle} serves IXFR over UDP and {@link #handleStream} both transfers over TCP.
      return Rcode.REFUSED;
    }
    ZoneTable table = registry.table();
    Name qname = question.getName();
    Optional<ZoneSnapshot> zone = table.findZone(qname, qtype);
    if (zone.isEmpty()) {
      // RFC 8914 §4.21, as Knot and NSD do; the wire layer keeps it only for EDNS queries.
      response.addRecord(NOT_AUTHORITATIVE, Section.ADDITIONAL);
      return Rcode.REFUSED;
    }
    response.getHeader().setFlag(Flags.AA);
    return new Chase(table, response).run(zone.get(), qname, qtype);
  }

  /** One query's walk through zones: the CNAME chain and the sections it fills. */
  private final class Chase {
    private final ZoneTable table;
    private final Message response;
    private final Set<Name> additionalDone = new HashSet<>();

    Chase(ZoneTable table, Message response) {
      this.table = table;
      this.response = response;
    }

    int run(ZoneSnapshot first, Name qname, int qtype) {
      List<Name> seen = new ArrayList<>(4);
      seen.add(qname);
      ZoneSnapshot zone = first;
      Name name = qname;
      for (int chain = 0; ; chain++) {
        LookupResult result = ZoneLookup.lookup(zone, name, qtype);
        switch (result.kind()) {
          case ANSWER:
            answer(((LookupResult.Answer) result).records(), qtype);
            return Rcode.NOERROR;
          case NXDOMAIN:
            response.addRecord(zone.negativeSoa(), Section.AUTHORITY);
            return Rcode.NXDOMAIN;
          case NODATA:
            response.addRecord(zone.negativeSoa(), Section.AUTHORITY);
            return Rcode.NOERROR;
          case REFERRAL:
            referral((LookupResult.Referral) result, chain == 0);
            return Rcode.NOERROR;
          case CNAME:
            LookupResult.Cname cname = (LookupResult.Cname) result;
            response.addRecord(cname.cname(), Section.ANSWER);
            Name target = cname.target();
            if (chain + 1 >= MAX_CHAIN || seen.contains(target)) {
              return Rcode.NOERROR; // loop or too long: the chain so far, as Knot does
            }
            seen.add(target);
            Optional<ZoneSnapshot> next = table.findZone(target, qtype);
            if (next.isEmpty()) {
              return Rcode.NOERROR; // out-of-zone target: the resolver follows it
            }
            zone = next.get();
            name = target;
            break;
          default:
            throw new IllegalStateException("unknown lookup result " + result);
        }
      }
    }

    private void answer(List<Record> records, int qtype) {
      int onlyType = qtype == Type.ANY && !records.isEmpty() ? records.get(0).getType() : -1;
      for (Record r : records) {
        // RFC 8482 §4.1: ANY gets one RRset (the lowest type number), over UDP and TCP, as Knot.
        if (onlyType != -1 && r.getType() != onlyType) {
          break;
        }
        response.addRecord(r, Section.ANSWER);
        additional(r);
      }
    }

    private void referral(LookupResult.Referral referral, boolean first) {
      if (first) {
        response.getHeader().unsetFlag(Flags.AA);
      }
      for (Record ns : referral.ns()) {
        response.addRecord(ns, Section.AUTHORITY);
      }
      // Glue comes prebuilt: A then AAAA per NS target. Skip targets already in additional.
      Set<Name> fresh = new HashSet<>();
      for (Record glue : referral.glue()) {
        Name name = glue.getName();
        if (fresh.contains(name) || additionalDone.add(name)) {
          fresh.add(name);
          response.addRecord(glue, Section.ADDITIONAL);
        }
      }
    }

    /** A/AAAA of NS, MX and SRV targets in zones served here (RFC 1034 §4.3.2 step 6). */
    private void additional(Record r) {
      int type = r.getType();
      if (type != Type.NS && type != Type.MX && type != Type.SRV) {
        return;
      }
      Name target = r.getAdditionalName();
      if (target == null || !additionalDone.add(target)) {
        return;
      }
      Optional<ZoneSnapshot> zone = table.findZone(target);
      if (zone.isEmpty()) {
        return;
      }
      addAll(zone.get().nodeRecords(target, Type.A));
      addAll(zone.get().nodeRecords(target, Type.AAAA));
    }

    private void addAll(List<Record> records) {
      if (records != null) {
        for (Record r : records) {
          response.addRecord(r, Section.ADDITIONAL);
        }
      }
    }
  }

  /** {@code authoritative.*} meters; every method is a no-op without a registry. */
  private static final class Metrics {
    private final RcodeCounters responses;
    private final Counter errors;

    Metrics(MeterRegistry meters) {
      this.responses =
          new RcodeCounters(meters, "authoritative.responses", "Responses sent by the authoritative handler, by rcode");
      this.errors =
          meters == null
              ? null
              : Counter.builder("authoritative.errors")
                  .description("Queries that failed with an unexpected exception (SERVFAIL)")
                  .register(meters);
    }

    void response(int rcode) {
      responses.increment(rcode);
    }

    void error() {
      if (errors != null) {
        errors.increment();
      }
    }
  }
}
