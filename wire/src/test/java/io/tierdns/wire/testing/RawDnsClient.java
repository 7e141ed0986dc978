package io.tierdns.wire.testing;

import io.tierdns.wire.Transport;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Message;

/**
 * A deliberately dumb DNS client on plain {@code java.net} sockets, for tests: it sends exactly the
 * bytes it is given and returns exactly the bytes it receives, so tests can send malformed queries
 * and inspect responses byte for byte.
 */
public final class RawDnsClient {

  /** Timeout of the {@link #query} convenience. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private RawDnsClient() {}

  /**
   * Sends one datagram and waits for one reply from the server.
   *
   * @return the reply, or {@code null} when none arrived within {@code timeout}
   */
  public static byte[] udp(InetSocketAddress server, byte[] query, Duration timeout) {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(millis(timeout));
      socket.send(new DatagramPacket(query, query.length, server));
      byte[] buffer = new byte[65535];
      DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
      socket.receive(reply);
      byte[] out = new byte[reply.getLength()];
      System.arraycopy(buffer, 0, out, 0, out.length);
      return out;
    } catch (SocketTimeoutException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends one length-prefixed query on a fresh TCP connection and reads one framed response.
   *
   * @return the response without its length prefix, or {@code null} on timeout or when the server
   *     closed the connection first
   */
  public static byte[] tcp(InetSocketAddress server, byte[] query, Duration timeout) {
    List<byte[]> replies = tcpPipelined(server, List.of(query), timeout);
    return replies.isEmpty() ? null : replies.get(0);
  }

  /**
   * Writes all queries at once on one fresh TCP connection (one write, RFC 7766 pipelining) and
   * reads as many framed responses, in the order they arrive.
   *
   * @return the responses read before the timeout or the server's close; may be fewer than sent
   */
  public static List<byte[]> tcpPipelined(
      InetSocketAddress server, List<byte[]> queries, Duration timeout) {
    List<byte[]> replies = new ArrayList<>();
    try (Socket socket = new Socket()) {
      socket.connect(server, millis(timeout));
      socket.setSoTimeout(millis(timeout));
      OutputStream out = socket.getOutputStream();
      byte[] all = new byte[0];
      for (byte[] q : queries) {
        all = concat(all, frame(q));
      }
      out.write(all);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      while (replies.size() < queries.size()) {
        int length = in.readUnsignedShort();
        byte[] reply = new byte[length];
        in.readFully(reply);
        replies.add(reply);
      }
    } catch (SocketTimeoutException | EOFException e) {
      return replies;
    } catch (IOException e) {
      if (!replies.isEmpty() || isReset(e)) {
        return replies;
      }
      throw new UncheckedIOException(e);
    }
    return replies;
  }

  /**
   * Sends {@code query} and parses the answer.
   *
   * @throws IllegalStateException when nothing came back within {@link #DEFAULT_TIMEOUT}
   */
  public static Message query(InetSocketAddress server, Message query, Transport transport) {
    byte[] wire = query.toWire();
    byte[] reply =
        transport == Transport.UDP
            ? udp(server, wire, DEFAULT_TIMEOUT)
            : tcp(server, wire, DEFAULT_TIMEOUT);
    if (reply == null) {
      throw new IllegalStateException("no " + transport + " answer from " + server);
    }
    try {
      return new Message(reply);
    } catch (IOException e) {
      throw new UncheckedIOException("unparseable answer from " + server, e);
    }
  }

  /** {@code message} with its two-byte big-endian length prefix (RFC 1035 §4.2.2). */
  public static byte[] frame(byte[] message) {
    byte[] framed = new byte[message.length + 2];
    framed[0] = (byte) (message.length >>> 8);
    framed[1] = (byte) message.length;
    System.arraycopy(message, 0, framed, 2, message.length);
    return framed;
  }

  private static boolean isReset(IOException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("reset") || m.contains("Broken pipe");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = new byte[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static int millis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }
}
