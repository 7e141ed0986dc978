package io.tierdns.zonesync;

import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.authoritative.acl.TsigVerification;
import io.tierdns.wire.QueryContext;
import java.net.InetAddress;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Receives NOTIFY (RFC 1996 §3.7, §4): checks it and tells the zone's {@link ZoneFollower} to
 * check its primaries now.
 *
 * <p>Outcomes, in order: a TSIG that does not verify, NOTAUTH with the TSIG error (RFC 8945
 * §5.2); no question, FORMERR; a question that is not SOA/IN, NOTIMP; a zone we are not a
 * secondary for, NOTAUTH (as BIND and Knot); a sender that is neither one of the zone's primaries
 * (by address, any port; with that primary's key when it has one) nor allowed by the zone's
 * {@code allowNotify} ACL, REFUSED; otherwise NOERROR, signed when the NOTIFY was.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1996#section-3.7">RFC 1996 §3.7</a>
 */
public final class NotifyIntake {

  private static final Logger log = LoggerFactory.getLogger(NotifyIntake.class);

  private final Secondaries secondaries;
  private final TsigKeyring keyring;
  private final ZoneSyncMetrics metrics;

  public NotifyIntake(Secondaries secondaries, TsigKeyring keyring) {
    this.secondaries = Objects.requireNonNull(secondaries, "secondaries");
    this.keyring = Objects.requireNonNull(keyring, "keyring");
    this.metrics = secondaries.metrics();
  }

  /** True for a NOTIFY message. */
  public static boolean isNotify(Message query) {
    return query.getHeader().getOpcode() == Opcode.NOTIFY;
  }

  /** The response to a NOTIFY; triggers the SOA check when it is accepted. */
  public Message respond(Message query, QueryContext context) {
    Message response = start(query);
    TsigVerification tsig = keyring.verify(query, context.wire());
    if (tsig instanceof TsigVerification.Failed) {
      log.info("NOTIFY from {} with a bad TSIG: NOTAUTH", context.remote());
      metrics.notifyReceived("badsig");
      return tsig.applyTo(response);
    }
    Record q = query.getQuestion();
    int rcode;
    if (q == null) {
      rcode = Rcode.FORMERR;
    } else if (q.getType() != Type.SOA || q.getDClass() != DClass.IN) {
      rcode = Rcode.NOTIMP;
    } else {
      rcode = accept(query, q.getName(), context, tsig.keyName());
    }
    response.getHeader().setRcode(rcode);
    return tsig.applyTo(response);
  }

  private int accept(Message query, Name zone, QueryContext context, Name key) {
    ZoneFollower f = secondaries.follower(zone).orElse(null);
    if (f == null) {
      log.info("zone={} NOTIFY from {}: not a secondary zone here, NOTAUTH", zone, context.remote());
      metrics.notifyReceived("notauth");
      return Rcode.NOTAUTH;
    }
    InetAddress from = context.remote() == null ? null : context.remote().getAddress();
    if (!allowed(f.config(), from, key)) {
      log.info("zone={} NOTIFY from {}{} refused: not a primary of the zone", zone, context.remote(), key == null ? "" : " key " + key);
      metrics.notifyReceived("refused");
      return Rcode.REFUSED;
    }
    long serial = -1;
    for (Record r : query.getSection(Section.ANSWER)) {
      if (r instanceof SOARecord soa && r.getName().equals(zone)) {
        serial = soa.getSerial();
      }
    }
    metrics.notifyReceived("accepted");
    f.notifyReceived(serial, context.remote());
    return Rcode.NOERROR;
  }

  /** A primary's address (with its key when it has one), or the zone's allowNotify ACL. */
  static boolean allowed(SecondaryZoneConfig config, InetAddress from, Name key) {
    if (from == null) {
      return false;
    }
    for (SecondaryZoneConfig.Primary p : config.primaries()) {
      if (p.address().getAddress().equals(from) && (p.keyName() == null || p.keyName().equals(key))) {
        return true;
      }
    }
    return config.allowNotify().allows(from.getAddress(), key);
  }

  private static Message start(Message query) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.AA);
    response.getHeader().setOpcode(Opcode.NOTIFY);
    Record q = query.getQuestion();
    if (q != null) {
      response.addRecord(q, Section.QUESTION);
    }
    return response;
  }
}
