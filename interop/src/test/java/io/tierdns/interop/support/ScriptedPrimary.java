package io.tierdns.interop.support;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A scripted primary on 127.0.0.1 over plain {@code java.net} sockets (UDP and TCP on one port),
 * for faults a real server will not produce on demand: it answers SOA queries normally, IXFR as
 * the {@link IxfrMode} says (a REFUSED or SERVFAIL, or the whole zone AXFR-style) and AXFR as the
 * {@link AxfrMode} says (whole, or cut off by closing the connection halfway through the
 * stream). The zone served and both modes can be changed at any time; every answer given is
 * counted by kind ({@link #served}).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5936">RFC 5936 AXFR</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1995">RFC 1995 IXFR</a>
 */
public final class ScriptedPrimary implements AutoCloseable {

  /** How an IXFR query is answered. */
  public enum IxfrMode { WHOLE_ZONE, REFUSED, SERVFAIL }

  /** How an AXFR query is answered. */
  public enum AxfrMode { WHOLE, TRUNCATED }

  private static final int RECORDS_PER_MESSAGE = 50;

  private final Name zone;
  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
  private volatile List<Record> records;
  private volatile IxfrMode ixfrMode = IxfrMode.WHOLE_ZONE;
  private volatile AxfrMode axfrMode = AxfrMode.WHOLE;
  private volatile boolean closed;

  private ScriptedPrimary(Name zone, List<Record> records, int port) throws IOException {
    this.zone = zone;
    this.records = records;
    InetAddress loopback = InetAddress.getLoopbackAddress();
    this.tcp = new ServerSocket();
    tcp.setReuseAddress(true);
    tcp.bind(new InetSocketAddress(loopback, port));
    this.udp = new DatagramSocket(new InetSocketAddress(loopback, port));
    daemon("scripted-primary-udp", this::serveUdp);
    daemon("scripted-primary-tcp", this::acceptTcp);
  }

  /** Starts serving {@code zone} from the master file {@code file} on a free port. */
  public static ScriptedPrimary start(String zone, Path file) throws IOException {
    Name name = Name.fromConstantString(zone.endsWith(".") ? zone : zone + ".");
    return new ScriptedPrimary(name, read(name, file), FreePorts.udpAndTcp());
  }

  /** Serves the zone in {@code file} from now on. */
  public void load(Path file) throws IOException {
    records = read(zone, file);
  }

  public void ixfr(IxfrMode mode) {
    ixfrMode = mode;
  }

  public void axfr(AxfrMode mode) {
    axfrMode = mode;
  }

  public int port() {
    return tcp.getLocalPort();
  }

  /** The serial served now. */
  public long serial() {
    return ((SOARecord) records.get(0)).getSerial();
  }

  /** How many answers of each kind were given, e.g. {@code IXFR REFUSED=1, AXFR WHOLE=2}. */
  public Map<String, Integer> served() {
    Map<String, Integer> copy = new TreeMap<>();
    served.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  public int served(String kind) {
    AtomicInteger n = served.get(kind);
    return n == null ? 0 : n.get();
  }

  private static List<Record> read(Name zone, Path file) throws IOException {
    List<Record> out = new ArrayList<>();
    try (Master master = new Master(file.toString(), zone)) {
      Record r;
      while ((r = master.nextRecord()) != null) {
        if (r.getType() == Type.SOA) {
          out.add(0, r);
        } else {
          out.add(r);
        }
      }
    }
    if (out.isEmpty() || out.get(0).getType() != Type.SOA) {
      throw new IOException("no SOA in " + file);
    }
    return List.copyOf(out);
  }

  private void serveUdp() {
    byte[] buffer = new byte[65535];
    while (!closed) {
      try {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        udp.receive(packet);
        Message query = new Message(java.util.Arrays.copyOf(buffer, packet.getLength()));
        Message answer = answerQuery(query);
        byte[] wire = answer.toWire(512);
        udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void acceptTcp() {
    while (!closed) {
      try {
        Socket socket = tcp.accept();
        daemon("scripted-primary-conn", () -> serveConnection(socket));
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void serveConnection(Socket socket) {
    try (socket) {
      socket.setSoTimeout(30_000);
      DataInputStream in = new DataInputStream(socket.getInputStream());
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      while (!closed) {
        int length;
        try {
          length = in.readUnsignedShort();
        } catch (EOFException peerDone) {
          return;
        }
        byte[] wire = new byte[length];
        in.readFully(wire);
        Message query = new Message(wire);
        int type = query.getQuestion().getType();
        if (type == Type.AXFR || (type == Type.IXFR && ixfrMode == IxfrMode.WHOLE_ZONE)) {
          if (!streamZone(query, out, type == Type.AXFR ? axfrMode : AxfrMode.WHOLE)) {
            return; // cut off on purpose
          }
        } else {
          write(out, answerQuery(query));
        }
      }
    } catch (SocketException | EOFException gone) {
      // the secondary closed its end
    } catch (IOException e) {
      if (!closed) {
        System.err.println("scripted primary: " + e);
      }
    }
  }

  /** Streams the zone; returns false when the stream was cut off (connection to be closed). */
  private boolean streamZone(Message query, DataOutputStream out, AxfrMode mode) throws IOException {
    String kind = Type.string(query.getQuestion().getType()) + " " + mode;
    List<Record> zone = records;
    List<Record> stream = new ArrayList<>(zone);
    stream.add(zone.get(0));
    int messages = (stream.size() + RECORDS_PER_MESSAGE - 1) / RECORDS_PER_MESSAGE;
    int cutAfter = mode == AxfrMode.TRUNCATED ? Math.max(1, messages / 2) : Integer.MAX_VALUE;
    for (int m = 0; m < messages; m++) {
      if (m == cutAfter) {
        out.flush();
        count(kind);
        return false;
      }
      Message response = response(query);
      for (Record r : stream.subList(m * RECORDS_PER_MESSAGE, Math.min(stream.size(), (m + 1) * RECORDS_PER_MESSAGE))) {
        response.addRecord(r, Section.ANSWER);
      }
      write(out, response);
    }
    count(kind);
    return true;
  }

  private Message answerQuery(Message query) {
    Message response = response(query);
    Record question = query.getQuestion();
    int type = question.getType();
    if (type == Type.IXFR) {
      response.getHeader().setRcode(ixfrMode == IxfrMode.REFUSED ? Rcode.REFUSED : Rcode.SERVFAIL);
      count("IXFR " + ixfrMode);
      return response;
    }
    if (!question.getName().equals(zone) && !question.getName().subdomain(zone)) {
      response.getHeader().unsetFlag(Flags.AA);
      response.getHeader().setRcode(Rcode.REFUSED);
      return response;
    }
    for (Record r : records) {
      if (r.getName().equals(question.getName()) && r.getType() == type) {
        response.addRecord(r, Section.ANSWER);
      }
    }
    count(Type.string(type));
    return response;
  }

  private static Message response(Message query) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.AA);
    response.getHeader().setOpcode(query.getHeader().getOpcode());
    response.addRecord(query.getQuestion(), Section.QUESTION);
    return response;
  }

  private static void write(DataOutputStream out, Message message) throws IOException {
    byte[] wire = message.toWire();
    out.writeShort(wire.length);
    out.write(wire);
    out.flush();
  }

  private void count(String kind) {
    served.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    closed = true;
    udp.close();
    try {
      tcp.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public String toString() {
    return "scripted-primary@127.0.0.1:" + port() + " serial " + serial() + " ixfr " + ixfrMode + " axfr " + axfrMode
        + " served " + served();
  }
}
