package io.tierdns.edge;

import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.transfer.IxfrPlan;
import io.tierdns.authoritative.transfer.TransferResponder;
import io.tierdns.authoritative.transfer.ZoneTransfers;
import io.tierdns.wire.Responses;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * Answers a downstream cache's SOA and IXFR queries for a subscribed zone from a {@link
 * RelayHistory}. Pure.
 *
 * <p>The cache holds the zone's differences but never the zone, so the answers are: SOA, the
 * newest SOA seen (AA set, as a secondary would); IXFR, one SOA when the client is current,
 * otherwise the condensed difference (RFC 1995 §4); an IXFR the history cannot serve incrementally
 * (the client is older than the oldest difference kept, ahead, or across a gap) is REFUSED rather
 * than answered with a zone we do not have: the downstream then flushes the zone and starts again
 * from our SOA. AXFR is refused.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1995#section-2">RFC 1995 §2</a>
 */
public final class RelayResponder {

  private final RelayHistory history;
  private final TransferResponder transfers;

  public RelayResponder(RelayHistory history) {
    this.history = history;
    this.transfers = new TransferResponder(history);
  }

  /** The SOA answer, or empty before the first SOA is known. */
  public Optional<Message> soa(Message query) {
    return history.soa().map(soa -> single(query, List.of(soa)));
  }

  /** The IXFR answer over TCP, or empty before the first SOA is known. */
  public Optional<List<Message>> ixfr(Message query) {
    Optional<ZoneSnapshot> stub = history.stub();
    if (stub.isEmpty()) {
      return Optional.empty();
    }
    SOARecord client = clientSoa(query);
    if (client == null) {
      return Optional.of(List.of(Responses.error(query, Rcode.FORMERR)));
    }
    IxfrPlan plan = plan(stub.get(), client.getSerial());
    if (plan instanceof IxfrPlan.FullZone) {
      return Optional.of(List.of(Responses.error(query, Rcode.REFUSED)));
    }
    return Optional.of(transfers.ixfr(query, stub.get(), plan));
  }

  /**
   * The IXFR answer over UDP (RFC 1995 §2): the differences in one message when they fit the
   * client's UDP size, else the newest SOA alone, which tells the client to use TCP. Empty before
   * the first SOA is known.
   */
  public Optional<Message> ixfrUdp(Message query) {
    Optional<ZoneSnapshot> stub = history.stub();
    if (stub.isEmpty()) {
      return Optional.empty();
    }
    SOARecord client = clientSoa(query);
    if (client == null) {
      return Optional.of(Responses.error(query, Rcode.FORMERR));
    }
    IxfrPlan plan = plan(stub.get(), client.getSerial());
    if (plan instanceof IxfrPlan.FullZone) {
      return soa(query);
    }
    return Optional.of(transfers.ixfrUdp(query, stub.get(), plan, ZoneTransfers.udpLimit(query.getOPT())));
  }

  /** The IXFR decision for a client at {@code clientSerial}; never bounded by zone size. */
  IxfrPlan plan(ZoneSnapshot stub, long clientSerial) {
    Optional<List<io.tierdns.authoritative.edit.ZoneDiff>> diffs =
        clientSerial == stub.serial()
            ? Optional.of(List.of())
            : history.diffsSince(stub.origin(), clientSerial);
    return IxfrPlan.decide(clientSerial, stub.serial(), Integer.MAX_VALUE, diffs);
  }

  private static Message single(Message query, List<Record> answer) {
    Message m = Responses.reply(query);
    m.getHeader().setFlag(Flags.AA);
    for (Record r : answer) {
      m.addRecord(r, Section.ANSWER);
    }
    return m;
  }

  private static SOARecord clientSoa(Message query) {
    for (Record r : query.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord soa) {
        return soa;
      }
    }
    return null;
  }
}
