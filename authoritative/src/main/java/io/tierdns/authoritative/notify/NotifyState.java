package io.tierdns.authoritative.notify;

import java.net.InetSocketAddress;
import java.time.Instant;
import org.xbill.DNS.Name;

/**
 * Where the NOTIFY of one zone to one secondary stands, for the admin API.
 *
 * @param address the secondary
 * @param zone the zone
 * @param serial the serial being (or last) announced
 * @param status PENDING (sent, no answer yet), ACKED (answered NOERROR), FAILING (timed out or
 *     answered with an error; retried with backoff)
 * @param attempts sends of this serial so far
 * @param lastAttempt when the last send went out, or null
 * @param lastAck when this secondary last acknowledged a NOTIFY (any serial), or null
 * @param lastError why the last attempt failed, or null
 */
public record NotifyState(
    InetSocketAddress address,
    Name zone,
    long serial,
    Status status,
    int attempts,
    Instant lastAttempt,
    Instant lastAck,
    String lastError) {

  /** The state of a NOTIFY. */
  public enum Status {
    PENDING,
    ACKED,
    FAILING
  }
}
