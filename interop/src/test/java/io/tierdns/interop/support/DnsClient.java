package io.tierdns.interop.support;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A deliberately dumb DNS client over raw sockets: it builds the query with dnsjava, sends the
 * bytes and parses whatever comes back, without any of dnsjava's resolver logic (no retry over
 * TCP on TC, no ID or question checks that could hide a server bug). Not thread-safe: use one
 * instance per thread.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1035#section-4.2">RFC 1035 §4.2 transport</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7766">RFC 7766 DNS over TCP</a>
 */
public final class DnsClient implements AutoCloseable {

  /** The EDNS UDP payload every differential query advertises (DNS flag day 2020). */
  public static final int EDNS_PAYLOAD = 1232;

  private final InetSocketAddress server;
  private final int timeoutMillis;
  private DatagramSocket udp;
  private Socket tcp;

  public DnsClient(int port, int timeoutMillis) {
    this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    this.timeoutMillis = timeoutMillis;
  }

  /** A query with RD clear and EDNS0 (payload 1232, version 0, DO clear). */
  public static Message query(String qname, int qtype) {
    Message query = new Message(ThreadLocalRandom.current().nextInt(0x10000));
    query.getHeader().setOpcode(org.xbill.DNS.Opcode.QUERY);
    query.addRecord(Record.newRecord(Name.fromConstantString(absolute(qname)), qtype, DClass.IN), Section.QUESTION);
    query.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0, 0), Section.ADDITIONAL);
    return query;
  }

  /** Same as {@link #query} but with RD set, as stub resolvers send it. */
  public static Message recursiveQuery(String qname, int qtype) {
    Message query = query(qname, qtype);
    query.getHeader().setFlag(Flags.RD);
    return query;
  }

  private static String absolute(String name) {
    return name.endsWith(".") ? name : name + ".";
  }

  /** Sends over UDP; empty when no response with the query's ID arrived within the timeout. */
  public Optional<Message> udp(Message query) throws IOException {
    if (udp == null) {
      udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }
    byte[] wire = query.toWire();
    udp.setSoTimeout(timeoutMillis);
    udp.send(new DatagramPacket(wire, wire.length, server));
    byte[] buffer = new byte[65535];
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (System.nanoTime() < deadline) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        udp.receive(packet);
      } catch (SocketTimeoutException e) {
        return Optional.empty();
      }
      if (packet.getLength() >= 2 && idOf(buffer) == query.getHeader().getID()) {
        byte[] response = java.util.Arrays.copyOf(buffer, packet.getLength());
        return Optional.of(new Message(response));
      }
      // A late answer to an earlier, timed-out query: ignore it.
    }
    return Optional.empty();
  }

  /** Sends over TCP (one connection, reused; reopened once if the server closed it). */
  public Optional<Message> tcp(Message query) throws IOException {
    try {
      return tcpOnce(query);
    } catch (IOException closedByServer) {
      closeTcp();
      return tcpOnce(query);
    }
  }

  private Optional<Message> tcpOnce(Message query) throws IOException {
    if (tcp == null) {
      tcp = new Socket();
      tcp.connect(server, timeoutMillis);
      tcp.setSoTimeout(timeoutMillis);
      tcp.setTcpNoDelay(true);
    }
    byte[] wire = query.toWire();
    DataOutputStream out = new DataOutputStream(tcp.getOutputStream());
    out.writeShort(wire.length);
    out.write(wire);
    out.flush();
    DataInputStream in = new DataInputStream(tcp.getInputStream());
    try {
      int length = in.readUnsignedShort();
      byte[] response = new byte[length];
      in.readFully(response);
      return Optional.of(new Message(response));
    } catch (SocketTimeoutException e) {
      closeTcp();
      return Optional.empty();
    }
  }

  private static int idOf(byte[] buffer) {
    return ((buffer[0] & 0xff) << 8) | (buffer[1] & 0xff);
  }

  private void closeTcp() {
    if (tcp != null) {
      try {
        tcp.close();
      } catch (IOException ignored) {
        // nothing to do
      }
      tcp = null;
    }
  }

  @Override
  public void close() {
    closeTcp();
    if (udp != null) {
      udp.close();
      udp = null;
    }
  }
}
