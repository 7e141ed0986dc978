package io.tierdns.edge.net;

import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.transfer.IxfrAnswer;
import io.tierdns.authoritative.transfer.UdpIxfrBackoff;
import io.tierdns.edge.ZoneFetcher;
import io.tierdns.wire.Transport;
import io.tierdns.wire.client.DnsClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/**
 * The network {@link ZoneFetcher}: SOA over UDP with the wire module's {@link DnsClient}; IXFR as
 * one exchange with that same non-blocking client over UDP (RFC 1995 §2: a change that fits a
 * datagram needs no connection), or over TCP when UDP went unanswered (then for
 * {@link UdpIxfrBackoff#PERIOD}), read by {@link IxfrAnswer}, and
 * with dnsjava's {@link ZoneTransferIn} (blocking, so it runs on {@code executor}) when the answer
 * does not come back whole in one message (a stream, an error rcode). A failed exchange (no
 * connection, timeout) fails the stage at once. Messages are TSIG-signed when a
 * key is given; then only {@code ZoneTransferIn} is used, as it verifies every message's TSIG.
 *
 * <p>Why the one-exchange path: a relayed change is a few records, and the blocking transfer
 * costs a hand-off to {@code executor} and to dnsjava's own selector thread on every hop, which on
 * a loaded machine was most of a hop's time.
 */
public final class DnsZoneFetcher implements ZoneFetcher {

  private final DnsClient client;
  private final Executor executor;
  private final TSIG key;
  private final Duration timeout;
  private final UdpIxfrBackoff udpBackoff = new UdpIxfrBackoff();

  /**
   * @param key the TSIG key, or {@code null} for none
   * @param timeout the IXFR's timeout (the SOA query has the client's)
   */
  public DnsZoneFetcher(DnsClient client, Executor executor, TSIG key, Duration timeout) {
    this.client = Objects.requireNonNull(client, "client");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.key = key;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public CompletionStage<SOARecord> soa(InetSocketAddress upstream, Name zone) {
    Message q = Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN));
    if (key != null) {
      q.setTSIG(key);
    }
    return client
        .query(upstream, q, Transport.UDP)
        .thenApply(
            r -> {
              if (r.getRcode() != Rcode.NOERROR) {
                throw new IllegalStateException(
                    upstream + " answered SOA " + zone + " with " + Rcode.string(r.getRcode()));
              }
              for (Record rec : r.getSection(Section.ANSWER)) {
                if (rec instanceof SOARecord soa && soa.getName().equals(zone)) {
                  return soa;
                }
              }
              throw new IllegalStateException(upstream + " sent no SOA for " + zone);
            });
  }

  @Override
  public CompletionStage<IxfrResult> ixfr(InetSocketAddress upstream, Name zone, SOARecord from) {
    if (key != null) {
      return transfer(upstream, zone, from);
    }
    if (!udpBackoff.udp(upstream)) {
      return overTcp(upstream, zone, from);
    }
    return client
        .query(upstream, IxfrAnswer.query(zone, from, true), Transport.UDP)
        .handle(
            (r, failure) -> {
              if (failure != null) {
                // lost or filtered: TCP now, and for a while
                udpBackoff.unanswered(upstream);
                return (CompletionStage<IxfrResult>) null;
              }
              udpBackoff.answered(upstream);
              // answered but not whole (too large, or an error): the full transfer reads it once
              return IxfrAnswer.read(zone, from, r)
                  .map(reading -> (CompletionStage<IxfrResult>) CompletableFuture.completedFuture(result(from, reading)))
                  .orElseGet(() -> transfer(upstream, zone, from));
            })
        .thenCompose(r -> r != null ? r : overTcp(upstream, zone, from));
  }

  /** The IXFR as one TCP exchange, then with {@code ZoneTransferIn} when that cannot settle it. */
  private CompletionStage<IxfrResult> overTcp(InetSocketAddress upstream, Name zone, SOARecord from) {
    return client
        .query(upstream, IxfrAnswer.query(zone, from, false), Transport.TCP)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (r, failure) -> {
              if (failure != null) {
                // unreachable or silent: ZoneTransferIn would only wait as long again
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                throw new CompletionException("IXFR of " + zone + " from " + upstream + ": " + cause, cause);
              }
              return IxfrAnswer.read(zone, from, r).map(reading -> result(from, reading));
            })
        .thenCompose(
            r -> r.isPresent()
                ? CompletableFuture.completedFuture(r.get())
                : transfer(upstream, zone, from));
  }

  private static IxfrResult result(SOARecord from, IxfrAnswer.Reading reading) {
    if (reading instanceof IxfrAnswer.Incremental i) {
      return new IxfrResult.Incremental(i.diffs());
    }
    if (reading instanceof IxfrAnswer.Whole w) {
      return new IxfrResult.Full(w.soa());
    }
    return new IxfrResult.UpToDate(from);
  }

  /** The whole IXFR with {@link ZoneTransferIn}: streams, errors, TSIG. */
  private CompletionStage<IxfrResult> transfer(InetSocketAddress upstream, Name zone, SOARecord from) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            ZoneTransferIn xfr = ZoneTransferIn.newIXFR(zone, from.getSerial(), false, upstream, key);
            xfr.setTimeout(timeout);
            xfr.run();
            return result(zone, from, xfr);
          } catch (Exception e) {
            throw new CompletionException("IXFR of " + zone + " from " + upstream + ": " + e.getMessage(), e);
          }
        },
        executor);
  }

  static IxfrResult result(Name zone, SOARecord from, ZoneTransferIn xfr) {
    if (xfr.isAXFR()) {
      List<Record> records = xfr.getAXFR();
      return new IxfrResult.Full((SOARecord) records.get(0));
    }
    if (xfr.isCurrent() || xfr.getIXFR().isEmpty()) {
      return new IxfrResult.UpToDate(from);
    }
    List<ZoneDiff> diffs = new ArrayList<>();
    for (ZoneTransferIn.Delta d : xfr.getIXFR()) {
      diffs.add(diff(zone, d));
    }
    return new IxfrResult.Incremental(diffs);
  }

  /** One difference sequence: dnsjava keeps the old SOA first in deletes, the new one in adds. */
  static ZoneDiff diff(Name zone, ZoneTransferIn.Delta d) {
    SOARecord fromSoa = null;
    SOARecord toSoa = null;
    List<Record> removed = new ArrayList<>();
    List<Record> added = new ArrayList<>();
    for (Record r : d.deletes) {
      if (r instanceof SOARecord s && s.getName().equals(zone) && fromSoa == null) {
        fromSoa = s;
      } else {
        removed.add(r);
      }
    }
    for (Record r : d.adds) {
      if (r instanceof SOARecord s && s.getName().equals(zone) && toSoa == null) {
        toSoa = s;
      } else {
        added.add(r);
      }
    }
    if (fromSoa == null || toSoa == null) {
      throw new IllegalStateException("IXFR difference without SOA, serial " + d.start + " to " + d.end);
    }
    return new ZoneDiff(zone, fromSoa, toSoa, removed, added);
  }
}
