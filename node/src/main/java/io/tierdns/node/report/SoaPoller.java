package io.tierdns.node.report;

import io.tierdns.wire.Transport;
import io.tierdns.wire.client.DnsClient;
import io.tierdns.wire.client.DnsClientOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Asks a foreign secondary (BIND, Knot, NSD ...) the SOA of a zone over UDP: the serial it serves.
 * A change with serial S counts as applied there the first time it answers a serial ≥ S (RFC 1982),
 * so the precision of the measurement is the poll interval ({@link PollSchedule}). Bounded like
 * {@link PeerClient}: every failure is a {@link PeerAnswer.Failed}, never an exception.
 */
public final class SoaPoller implements AutoCloseable {

  private final DnsClient client;
  private final Duration timeout;

  public SoaPoller(Duration timeout) {
    this.timeout = timeout;
    this.client = new DnsClient(new DnsClientOptions(timeout, 1));
  }

  /** The serial the server at {@code address} answers for the zone's SOA. */
  public CompletableFuture<PeerAnswer> poll(InetSocketAddress address, String zone) {
    Message query;
    try {
      Name name = Name.fromString(zone, Name.root);
      query = Message.newQuery(Record.newRecord(name, Type.SOA, DClass.IN));
    } catch (Exception e) {
      return CompletableFuture.completedFuture(new PeerAnswer.Failed("error: " + e.getMessage()));
    }
    CompletableFuture<Message> sent;
    try {
      sent = client.query(address, query, Transport.UDP);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(new PeerAnswer.Failed("unreachable: " + e.getMessage()));
    }
    return sent.orTimeout(timeout.toMillis() + 250, TimeUnit.MILLISECONDS).handle((answer, failure) -> {
      if (failure != null) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof TimeoutException) {
          return new PeerAnswer.Failed("unreachable: no SOA answer within " + timeout.toMillis() + " ms");
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
          if (c instanceof java.net.PortUnreachableException) {
            return new PeerAnswer.Failed("unreachable: port unreachable");
          }
        }
        return new PeerAnswer.Failed("unreachable: " + t.getMessage());
      }
      return serial(answer, query.getQuestion().getName());
    });
  }

  /** The SOA serial of an answer, or why there is none. */
  static PeerAnswer serial(Message answer, Name zone) {
    if (answer.getRcode() != Rcode.NOERROR) {
      return new PeerAnswer.Failed("error: SOA query answered " + Rcode.string(answer.getRcode()));
    }
    for (Record r : answer.getSection(Section.ANSWER)) {
      if (r instanceof SOARecord soa && soa.getName().equals(zone)) {
        return new PeerAnswer.Serving(soa.getSerial(), null);
      }
    }
    return new PeerAnswer.Failed("error: no SOA of " + zone + " in the answer");
  }

  @Override
  public void close() {
    client.close();
  }
}
