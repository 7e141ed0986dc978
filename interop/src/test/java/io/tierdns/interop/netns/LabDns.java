package io.tierdns.interop.netns;

import io.tierdns.interop.support.DnsClient;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * A plain UDP DNS client for lab addresses (port 53): one socket, queries built by
 * {@link DnsClient#query}, answers matched by ID, no retries. Not thread-safe.
 */
final class LabDns implements AutoCloseable {

  private final int timeoutMillis;
  private DatagramSocket socket;

  LabDns(int timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  /** The answer of {@code address}:53 to {@code query}, empty on timeout or socket error. */
  Optional<Message> ask(String address, Message query) {
    try {
      if (socket == null) {
        socket = new DatagramSocket();
        socket.setSoTimeout(timeoutMillis);
      }
      byte[] wire = query.toWire();
      socket.send(new DatagramPacket(wire, wire.length,
          new InetSocketAddress(InetAddress.getByName(address), NetnsNode.DNS_PORT)));
      byte[] buffer = new byte[65535];
      long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
      while (System.nanoTime() < deadline) {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        if (packet.getLength() >= 2 && (((buffer[0] & 0xff) << 8) | (buffer[1] & 0xff)) == query.getHeader().getID()) {
          return Optional.of(new Message(Arrays.copyOf(buffer, packet.getLength())));
        }
      }
      return Optional.empty();
    } catch (SocketTimeoutException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The SOA serial {@code address} answers for {@code zone} (NOERROR with a SOA), if any. */
  OptionalLong serial(String address, String zone) {
    Optional<Message> answer = ask(address, DnsClient.query(zone, Type.SOA));
    if (answer.isPresent() && answer.get().getRcode() == Rcode.NOERROR) {
      for (Record r : answer.get().getSection(Section.ANSWER)) {
        if (r instanceof SOARecord soa) {
          return OptionalLong.of(soa.getSerial());
        }
      }
    }
    return OptionalLong.empty();
  }

  /** One TXT answer as seen: rcode, the first string of the first TXT, TTL, and EDE code (-1 if none). */
  record Txt(int rcode, String text, long ttl, int ede) {
    boolean isData() {
      return rcode == Rcode.NOERROR && text != null;
    }

    @Override
    public String toString() {
      return Rcode.string(rcode) + (text == null ? "" : " \"" + text + "\" ttl " + ttl) + (ede < 0 ? "" : " EDE " + ede);
    }
  }

  /** Asks {@code address} for the TXT at {@code name} (RD set, as a stub would); empty on timeout. */
  Optional<Txt> txt(String address, String name) {
    Optional<Message> answer = ask(address, DnsClient.recursiveQuery(name, Type.TXT));
    if (answer.isEmpty()) {
      return Optional.empty();
    }
    Message m = answer.get();
    int ede = -1;
    OPTRecord opt = m.getOPT();
    if (opt != null) {
      for (EDNSOption option : opt.getOptions()) {
        if (option instanceof ExtendedErrorCodeOption e) {
          ede = e.getErrorCode();
        }
      }
    }
    for (Record r : m.getSection(Section.ANSWER)) {
      if (r instanceof TXTRecord t) {
        return Optional.of(new Txt(m.getRcode(), t.getStrings().get(0), t.getTTL(), ede));
      }
    }
    return Optional.of(new Txt(m.getRcode(), null, 0, ede));
  }

  @Override
  public void close() {
    if (socket != null) {
      socket.close();
      socket = null;
    }
  }
}
