package io.tierdns.zonesync;

import io.tierdns.authoritative.ZoneRecords;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.authoritative.edit.ZoneDiff;
import io.tierdns.authoritative.transfer.IxfrAnswer;
import io.tierdns.authoritative.transfer.UdpIxfrBackoff;
import io.tierdns.wire.Transport;
import io.tierdns.wire.client.DnsClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/**
 * {@link PrimaryClient} over the network with dnsjava: SOA queries with {@link SimpleResolver}
 * (UDP, TCP after truncation; the answer's TSIG verified), transfers with {@link ZoneTransferIn}
 * over TCP (every message's TSIG verified, RFC 8945 §5.3.1).
 *
 * <p>With a {@link DnsClient} (the wire module's non-blocking client) and no TSIG key, an IXFR is
 * first asked as one TCP exchange and read by {@link IxfrAnswer}: a small change comes back whole
 * in one message, and this saves the hand-off to dnsjava's selector thread on every hop. Anything
 * that answer cannot settle (a stream, an error rcode, a lone newer SOA) is asked again with
 * {@code ZoneTransferIn}; an unreachable or silent primary is a failure at once.
 *
 * <p>{@code ZoneTransferIn} is used with its own AXFR fallback off: its errors are turned into
 * {@link TransferFailure}s and {@link TransferPlan} decides. IXFR records are gathered into
 * {@link ZoneDiff}s as they stream in; an AXFR is gathered into a list, with a progress log every
 * {@value #PROGRESS_EVERY} records. Nothing here touches the serving zone.
 */
public final class DnsPrimaryClient implements PrimaryClient {

  private static final Logger log = LoggerFactory.getLogger(DnsPrimaryClient.class);

  static final int PROGRESS_EVERY = 100_000;

  /** Default for the most records one transfer may bring (5 million: ~5 GB of heap while built). */
  public static final long DEFAULT_MAX_RECORDS = 5_000_000;

  private final TsigKeyring keyring;
  private final Duration soaTimeout;
  private final Duration transferTimeout;
  private final DnsClient client;
  private final long maxRecords;
  private final UdpIxfrBackoff udpBackoff = new UdpIxfrBackoff();

  /**
   * @param keyring the keys named by {@link SecondaryZoneConfig.Primary#keyName()}
   * @param soaTimeout how long an SOA query may take (default 2 s)
   * @param transferTimeout how long a whole transfer may take
   * @param client for one-exchange IXFRs, or null to use {@code ZoneTransferIn} only
   * @param maxRecords the most records one AXFR or IXFR may carry; a larger one is cut off and
   *     fails as {@link TransferFailure#INVALID_ZONE}, so a runaway primary cannot fill the heap
   */
  public DnsPrimaryClient(
      TsigKeyring keyring, Duration soaTimeout, Duration transferTimeout, DnsClient client, long maxRecords) {
    this.keyring = Objects.requireNonNull(keyring, "keyring");
    this.soaTimeout = Objects.requireNonNull(soaTimeout, "soaTimeout");
    this.transferTimeout = Objects.requireNonNull(transferTimeout, "transferTimeout");
    this.client = client;
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be at least 1, got " + maxRecords);
    }
    this.maxRecords = maxRecords;
  }

  public DnsPrimaryClient(TsigKeyring keyring, Duration soaTimeout, Duration transferTimeout) {
    this(keyring, soaTimeout, transferTimeout, null, DEFAULT_MAX_RECORDS);
  }

  /** SOA timeout 2 s, transfer timeout 5 min, one-exchange IXFRs with {@code client}. */
  public DnsPrimaryClient(TsigKeyring keyring, DnsClient client, long maxRecords) {
    this(keyring, Duration.ofSeconds(2), Duration.ofMinutes(5), client, maxRecords);
  }

  public DnsPrimaryClient(TsigKeyring keyring, DnsClient client) {
    this(keyring, client, DEFAULT_MAX_RECORDS);
  }

  /** SOA timeout 2 s, transfer timeout 5 min. */
  public DnsPrimaryClient(TsigKeyring keyring) {
    this(keyring, Duration.ofSeconds(2), Duration.ofMinutes(5));
  }

  @Override
  public SoaOutcome soa(Name zone, SecondaryZoneConfig.Primary primary) {
    TSIG key;
    try {
      key = key(primary);
    } catch (IllegalStateException e) {
      return new SoaOutcome.Failed(TransferFailure.LOCAL_ERROR, e.getMessage());
    }
    SimpleResolver resolver = new SimpleResolver(primary.address());
    resolver.setTimeout(soaTimeout);
    resolver.setEDNS(0, 1232, 0, List.of(EdnsExpire.request()));
    if (key != null) {
      resolver.setTSIGKey(key);
    }
    Message query = Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN));
    query.getHeader().unsetFlag(Flags.RD);
    Message response;
    try {
      response = resolver.send(query);
    } catch (SocketTimeoutException e) {
      return new SoaOutcome.Failed(TransferFailure.TIMEOUT, "no answer within " + soaTimeout.toMillis() + " ms");
    } catch (IOException e) {
      return new SoaOutcome.Failed(TransferFailure.CONNECTION, String.valueOf(e.getMessage()));
    }
    if (response.getRcode() != Rcode.NOERROR) {
      return new SoaOutcome.Failed(TransferFailure.ofRcode(response.getRcode()), "answered " + Rcode.string(response.getRcode()));
    }
    if (key != null && !response.isVerified()) {
      return new SoaOutcome.Failed(TransferFailure.TSIG, "the answer's TSIG is missing or does not verify");
    }
    if (!response.getHeader().getFlag(Flags.AA)) {
      return new SoaOutcome.Failed(TransferFailure.BAD_RESPONSE, "not authoritative (AA clear)");
    }
    for (Record r : response.getSection(Section.ANSWER)) {
      if (r instanceof SOARecord soa && r.getName().equals(zone)) {
        OptionalLong expire = EdnsExpire.value(response);
        return new SoaOutcome.Answer(soa, expire.isPresent() ? expire.getAsLong() : -1);
      }
    }
    return new SoaOutcome.Failed(TransferFailure.BAD_RESPONSE, "no SOA in the answer");
  }

  @Override
  public XfrResult ixfr(Name zone, SecondaryZoneConfig.Primary primary, SOARecord ours) {
    if (client != null && primary.keyName() == null) {
      Optional<XfrResult> quick = oneExchange(zone, primary, ours);
      if (quick.isPresent()) {
        return quick.get();
      }
    }
    return run(zone, primary, ours.getSerial(), TransferKind.IXFR);
  }

  /**
   * The IXFR as one exchange over UDP (RFC 1995 §2: a change that fits one datagram needs no
   * connection; a primary answers its SOA alone when it does not fit), or over TCP when UDP went
   * unanswered; empty when the answer needs {@code ZoneTransferIn}.
   */
  private Optional<XfrResult> oneExchange(Name zone, SecondaryZoneConfig.Primary primary, SOARecord ours) {
    if (udpBackoff.udp(primary.address())) {
      Optional<XfrResult> udp = oneExchange(zone, primary, ours, IxfrAnswer.query(zone, ours, true), Transport.UDP);
      if (udp.isEmpty() || !(udp.get() instanceof Failed)) {
        // Whole, or answered but not whole: too large for a datagram (the SOA alone), or an
        // error rcode. A one-message TCP answer is then unlikely and a stream would be sent
        // twice: the full transfer (empty) reads it once.
        udpBackoff.answered(primary.address());
        return udp;
      }
      // no answer over UDP (lost, or filtered): ask over TCP, and do not try UDP for a while
      udpBackoff.unanswered(primary.address());
    }
    return oneExchange(zone, primary, ours, IxfrAnswer.query(zone, ours, false), Transport.TCP);
  }

  private Optional<XfrResult> oneExchange(
      Name zone, SecondaryZoneConfig.Primary primary, SOARecord ours, Message query, Transport transport) {
    Message response;
    try {
      response = client.query(primary.address(), query, transport).get(transferTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return Optional.of(new Failed(TransferFailure.TIMEOUT, "IXFR did not finish within " + transferTimeout.toSeconds() + " s"));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      TransferFailure kind = cause instanceof TimeoutException ? TransferFailure.TIMEOUT : TransferFailure.CONNECTION;
      return Optional.of(new Failed(kind, "IXFR: " + cause.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(new Failed(TransferFailure.CONNECTION, "IXFR interrupted"));
    }
    return IxfrAnswer.read(zone, ours, response).map(reading -> result(ours, reading));
  }

  private static XfrResult result(SOARecord ours, IxfrAnswer.Reading reading) {
    if (reading instanceof IxfrAnswer.Incremental i) {
      return new Incremental(i.diffs());
    }
    if (reading instanceof IxfrAnswer.Whole w) {
      return new Full(w.records());
    }
    return new Current(ours.getSerial());
  }

  @Override
  public XfrResult axfr(Name zone, SecondaryZoneConfig.Primary primary) {
    return run(zone, primary, 0, TransferKind.AXFR);
  }

  private XfrResult run(Name zone, SecondaryZoneConfig.Primary primary, long serial, TransferKind kind) {
    TSIG key;
    try {
      key = key(primary);
    } catch (IllegalStateException e) {
      return new Failed(TransferFailure.LOCAL_ERROR, e.getMessage());
    }
    ZoneTransferIn xfr =
        kind == TransferKind.IXFR
            ? ZoneTransferIn.newIXFR(zone, serial, false, primary.address(), key)
            : ZoneTransferIn.newAXFR(zone, primary.address(), key);
    xfr.setTimeout(transferTimeout);
    Collector collector = new Collector(zone, primary, maxRecords);
    try {
      xfr.run(collector);
    } catch (SocketTimeoutException e) {
      return new Failed(TransferFailure.TIMEOUT, kind + " did not finish within " + transferTimeout.toSeconds() + " s");
    } catch (ConnectException e) {
      return new Failed(TransferFailure.CONNECTION, String.valueOf(e.getMessage()));
    } catch (IOException e) {
      return new Failed(TransferFailure.CONNECTION, kind + " stream broken after " + collector.count + " records: " + e);
    } catch (ZoneTransferException e) {
      return classify(e.getMessage());
    } catch (TooLarge e) {
      log.warn("zone={} {} from {} cut off: more than {} records", zone, kind, primary, maxRecords);
      return new Failed(TransferFailure.INVALID_ZONE, kind + " has more than " + maxRecords + " records (the limit)");
    } catch (RuntimeException e) {
      // dnsjava parsing errors surface as unchecked exceptions on garbage input
      return new Failed(TransferFailure.BAD_RESPONSE, e.toString());
    }
    if (collector.full != null) {
      return new Full(collector.full);
    }
    if (!collector.started) {
      // Neither an AXFR nor an IXFR began: the answer was the primary's SOA alone (RFC 1995 §2)
      return new Current(serial);
    }
    if (collector.finishDiffs().isEmpty()) {
      return new Failed(TransferFailure.BAD_RESPONSE, "empty transfer");
    }
    return new Incremental(collector.finishDiffs());
  }

  /** Maps {@code ZoneTransferIn}'s failure messages (an rcode name, or a description) to kinds. */
  static Failed classify(String message) {
    String m = message == null ? "" : message;
    if (m.startsWith("server doesn't support IXFR")) {
      // NOTIMP, or an empty answer, with our fallback off
      return new Failed(TransferFailure.NOTIMP, m);
    }
    if (m.startsWith("TSIG failure")) {
      return new Failed(TransferFailure.TSIG, m);
    }
    int rcode = Rcode.value(m);
    if (rcode > 0) {
      return new Failed(TransferFailure.ofRcode(rcode), "answered " + m);
    }
    return new Failed(TransferFailure.BAD_RESPONSE, m);
  }

  private TSIG key(SecondaryZoneConfig.Primary primary) {
    if (primary.keyName() == null) {
      return null;
    }
    Optional<TSIG> key = keyring.key(primary.keyName());
    if (key.isEmpty()) {
      throw new IllegalStateException("no TSIG key named " + primary.keyName());
    }
    return key.get();
  }

  /** Thrown by the collector to stop a transfer over the record limit. */
  private static final class TooLarge extends RuntimeException {
    TooLarge() {
      super(null, null, false, false);
    }
  }

  /** Gathers a transfer as it streams in. */
  private static final class Collector implements ZoneTransferIn.ZoneTransferHandler {
    private final Name zone;
    private final SecondaryZoneConfig.Primary primary;
    List<Record> full;
    final List<ZoneDiff> diffs = new ArrayList<>();
    private SOARecord fromSoa;
    private SOARecord toSoa;
    private List<Record> removed;
    private List<Record> added;
    long count;
    boolean started;

    private final long maxRecords;

    Collector(Name zone, SecondaryZoneConfig.Primary primary, long maxRecords) {
      this.zone = zone;
      this.primary = primary;
      this.maxRecords = maxRecords;
    }

    @Override
    public void startAXFR() {
      started = true;
      full = new ArrayList<>();
    }

    @Override
    public void startIXFR() {
      started = true;
    }

    @Override
    public void startIXFRDeletes(Record soa) {
      closeDiff();
      fromSoa = (SOARecord) soa;
      removed = new ArrayList<>();
      added = new ArrayList<>();
    }

    @Override
    public void startIXFRAdds(Record soa) {
      toSoa = (SOARecord) soa;
    }

    @Override
    public void handleRecord(Record r) {
      if (++count > maxRecords) {
        throw new TooLarge();
      }
      if (full != null) {
        if (r.getType() == Type.SOA && !full.isEmpty()) {
          // The closing SOA (RFC 5936 §2.2) ends the transfer; it is no zone data. Left in, it
          // sorts before the record it follows, and the snapshot of a transfer that is in
          // canonical order (every tierdns AXFR) would sort a million owners to put it back.
          return;
        }
        full.add(ZoneRecords.sharingOwner(r, full.isEmpty() ? null : full.get(full.size() - 1)));
        if (count % PROGRESS_EVERY == 0) {
          log.info("zone={} AXFR from {}: {} records so far", zone, primary, count);
        }
      } else if (toSoa == null) {
        removed.add(r);
      } else {
        added.add(r);
      }
    }

    private void closeDiff() {
      if (fromSoa != null && toSoa != null) {
        diffs.add(new ZoneDiff(zone, fromSoa, toSoa, removed, added));
      }
      fromSoa = null;
      toSoa = null;
    }

    List<ZoneDiff> finishDiffs() {
      closeDiff(); // idempotent: a closed diff resets fromSoa
      return diffs;
    }
  }
}
