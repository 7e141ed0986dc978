package io.tierdns.interop.support;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
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
 * Sends an unsigned NOTIFY (RFC 1996) for a zone to a server on 127.0.0.1, as a primary that
 * has no NOTIFY of its own configured would: the test plays the primary's announcement.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1996">RFC 1996 NOTIFY</a>
 */
public final class Notify {

  private Notify() {}

  /** Sends NOTIFY for {@code zone} announcing {@code serial} (up to 3 tries); returns the rcode name of the answer. */
  public static String send(int port, String zone, long serial) {
    Name name = Name.fromConstantString(zone.endsWith(".") ? zone : zone + ".");
    Message notify = new Message(ThreadLocalRandom.current().nextInt(0x10000));
    notify.getHeader().setOpcode(Opcode.NOTIFY);
    notify.getHeader().setFlag(Flags.AA);
    notify.addRecord(Record.newRecord(name, Type.SOA, DClass.IN), Section.QUESTION);
    notify.addRecord(new SOARecord(name, DClass.IN, 0, Name.fromConstantString("ns1." + name),
        Name.fromConstantString("hostmaster." + name), serial, 3600, 1, 1209600, 300), Section.ANSWER);
    try (DnsClient client = new DnsClient(port, 1000)) {
      for (int attempt = 0; attempt < 3; attempt++) {
        Optional<Message> answer = client.udp(notify);
        if (answer.isPresent()) {
          return Rcode.string(answer.get().getRcode());
        }
      }
      return "no answer";
    } catch (IOException e) {
      return e.toString();
    }
  }
}
