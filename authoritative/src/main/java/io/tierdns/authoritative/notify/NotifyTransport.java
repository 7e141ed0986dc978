package io.tierdns.authoritative.notify;

import io.tierdns.wire.Transport;
import io.tierdns.wire.client.DnsClient;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/** Sends one NOTIFY and returns the secondary's answer; fails on timeout or network error. */
@FunctionalInterface
public interface NotifyTransport {

  CompletionStage<Message> send(InetSocketAddress secondary, Message notify);

  /**
   * Over UDP with a {@link DnsClient} (RFC 1996 §3.3); a signed message is signed by the client
   * when it renders it, with the ID it picks.
   */
  static NotifyTransport udp(DnsClient client) {
    return (secondary, notify) -> client.query(secondary, notify, Transport.UDP);
  }
}
