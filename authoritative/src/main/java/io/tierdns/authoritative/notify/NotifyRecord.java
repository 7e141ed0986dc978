package io.tierdns.authoritative.notify;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * When one serial of a zone was first announced to one secondary and when that secondary first
 * acknowledged it (RFC 1996 §3.7, §4.7): the NOTIFY half of a propagation report.
 *
 * @param address the secondary
 * @param zone the zone
 * @param serial the serial announced
 * @param firstSentAt when the first NOTIFY carrying this serial left for this secondary
 * @param ackedAt when the secondary acknowledged a NOTIFY of this serial, or null while it has not
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1996#section-3">RFC 1996 §3</a>
 */
public record NotifyRecord(InetSocketAddress address, Name zone, long serial, Instant firstSentAt, Instant ackedAt) {

  public NotifyRecord {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(firstSentAt, "firstSentAt");
  }

  NotifyRecord acked(Instant at) {
    return ackedAt != null ? this : new NotifyRecord(address, zone, serial, firstSentAt, at);
  }
}
