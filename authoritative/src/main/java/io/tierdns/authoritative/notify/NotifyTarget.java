package io.tierdns.authoritative.notify;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * A secondary to NOTIFY: {@code notify: [ADDR:PORT ...]} of a zone.
 *
 * @param address the secondary's address and port
 * @param keyName the TSIG key to sign the NOTIFY with, or {@code null} to send it unsigned
 */
public record NotifyTarget(InetSocketAddress address, Name keyName) {

  public NotifyTarget {
    Objects.requireNonNull(address, "address");
  }

  public NotifyTarget(InetSocketAddress address) {
    this(address, null);
  }
}
