package io.tierdns.wire;

import java.io.IOException;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The one place that builds a response skeleton or an error response from a query, for the wire
 * layer and for handlers.
 *
 * <p>A response copies the ID, opcode, RD and CD of the query, sets QR and echoes the question
 * exactly as received (so the case of the name is preserved, as DNS 0x20 clients require). It
 * carries no OPT record: {@link MessageProcessor} adds the server's OPT when it encodes the
 * response and the query carried one.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1035#section-4.1.1">RFC 1035 §4.1.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6891#section-6.1.3">RFC 6891 §6.1.3</a>
 */
public final class Responses {

  private Responses() {}

  /**
   * A NOERROR response skeleton for {@code query}: header fields copied, question echoed, no
   * records.
   */
  public static Message reply(Message query) {
    Header q = query.getHeader();
    Message response = headerOnly(q);
    Record question = query.getQuestion();
    if (question != null && q.getCount(Section.QUESTION) == 1) {
      response.addRecord(question, Section.QUESTION);
    }
    return response;
  }

  /**
   * An error response (FORMERR, SERVFAIL, NOTIMP, REFUSED, ...) for {@code query}: the {@link
   * #reply} skeleton with the given rcode and empty sections. An extended rcode above 15 (such as
   * {@link Rcode#BADVERS}) is carried by an OPT record, whose upper bits {@link MessageProcessor}
   * keeps when it replaces the OPT with the server's own.
   *
   * @param rcode an rcode from {@link Rcode}, 0..4095
   */
  public static Message error(Message query, int rcode) {
    if (rcode < 0 || rcode > 0xFFF) {
      throw new IllegalArgumentException("rcode must be between 0 and 4095, got " + rcode);
    }
    Message response = reply(query);
    response.getHeader().setRcode(rcode & 0xF);
    if (rcode > 0xF) {
      response.addRecord(
          new OPTRecord(WireOptions.DEFAULT_UDP_PAYLOAD, rcode >>> 4, 0), Section.ADDITIONAL);
    }
    return response;
  }

  /**
   * FORMERR for a query that dnsjava could not parse, built from its raw bytes.
   *
   * <p>As Knot DNS does ({@code knot_pkt_init_response} after a failed {@code knot_pkt_parse}):
   * ID, opcode, RD and CD come from the header; the question is echoed when the header announces
   * exactly one and it can be read (name, type, class), otherwise the question count is 0. No OPT
   * is added because the query's OPT could not be trusted.
   *
   * @param wire at least {@link Header#LENGTH} bytes
   */
  static Message formErr(byte[] wire) throws IOException {
    Message response = fromRawHeader(new Header(wire), wire);
    response.getHeader().setRcode(Rcode.FORMERR);
    return response;
  }

  /**
   * The reply to a UDP query that may have been cut on receipt: its ID, opcode, RD/CD and
   * question, with QR and TC set and nothing else, so the client retries over TCP. Null when not
   * even the header is there.
   */
  static byte[] retryOverTcp(byte[] wire) {
    if (wire.length < Header.LENGTH) {
      return null;
    }
    try {
      Header q = new Header(wire);
      if (q.getFlag(Flags.QR)) {
        return null; // a response: never answered
      }
      Message response = fromRawHeader(q, wire);
      response.getHeader().setFlag(Flags.TC);
      return response.toWire();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * A response built from a query's raw bytes alone: its ID, opcode, RD and CD, QR set, and its
   * question when the header announces exactly one that can be read (else no question).
   */
  private static Message fromRawHeader(Header q, byte[] wire) {
    Message response = headerOnly(q);
    if (q.getCount(Section.QUESTION) == 1) {
      Record question = readQuestion(wire);
      if (question != null) {
        response.addRecord(question, Section.QUESTION);
      }
    }
    return response;
  }

  private static Record readQuestion(byte[] wire) {
    try {
      DNSInput in = new DNSInput(wire);
      in.jump(Header.LENGTH);
      Name name = new Name(in);
      int type = in.readU16();
      int dclass = in.readU16();
      return Record.newRecord(name, type, dclass);
    } catch (IOException | RuntimeException e) {
      return null; // the question itself is malformed: answer with the header only
    }
  }

  /** A response with the query header's ID, opcode, RD and CD, QR set, and no records. */
  private static Message headerOnly(Header q) {
    Message response = new Message(q.getID());
    Header h = response.getHeader();
    h.setOpcode(q.getOpcode());
    h.setFlag(Flags.QR);
    copyFlag(q, h, Flags.RD);
    copyFlag(q, h, Flags.CD);
    return response;
  }

  private static void copyFlag(Header from, Header to, int flag) {
    if (from.getFlag(flag)) {
      to.setFlag(flag);
    }
  }
}
