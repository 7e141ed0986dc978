package io.tierdns.wire;

import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * The glue a referral must carry: the A and AAAA records of the name servers whose names are at
 * or below the delegation point (in-domain, RFC 9471 §2). If they do not all fit in the response,
 * the response must have TC set (RFC 9471 §3); glue of other names (sibling glue) may be dropped
 * without TC.
 *
 * <p>dnsjava's {@code Message.toWire(int)} renders the additional section in order, skipping the
 * OPT (written last) and stopping at the first RRset that does not fit, without TC. So the records
 * kept are a prefix of the section's other records, and the in-domain glue is all sent exactly
 * when that prefix reaches past its last record.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9471#section-3">RFC 9471 §3</a>
 */
final class InDomainGlue {

  private InDomainGlue() {}

  /**
   * How many of the additional section's records (not counting OPT and TSIG) must be rendered for
   * every in-domain glue record to be sent: one past the last of them, or 0 when the message has
   * none (no NS record in its authority section, or no glue for an in-domain target).
   */
  static int required(Message message) {
    List<Record> authority = message.getSection(Section.AUTHORITY);
    boolean delegates = false;
    for (Record r : authority) {
      if (r.getType() == Type.NS) {
        delegates = true;
        break;
      }
    }
    if (!delegates) {
      return 0;
    }
    int required = 0;
    int index = 0;
    for (Record r : message.getSection(Section.ADDITIONAL)) {
      if (r instanceof OPTRecord || r instanceof TSIGRecord) {
        continue;
      }
      index++;
      int type = r.getType();
      if ((type == Type.A || type == Type.AAAA) && inDomainTarget(authority, r.getName())) {
        required = index;
      }
    }
    return required;
  }

  /** Whether {@code name} is the target of an NS record at or above it (an in-domain server). */
  private static boolean inDomainTarget(List<Record> authority, Name name) {
    for (Record r : authority) {
      if (r instanceof NSRecord ns && ns.getTarget().equals(name) && name.subdomain(ns.getName())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the rendering {@code wire} of {@code message} dropped in-domain glue: fewer than
   * {@link #required} records, OPT and TSIG aside, are in its additional section.
   *
   * @param required {@link #required} of the message
   * @param mayBeSigned whether the message may carry a TSIG key (the query was signed): its
   *     additional records are then counted by parsing {@code wire}, as the TSIG record is
   *     counted in ARCOUNT and dnsjava does not say whether it signed
   */
  static boolean dropped(Message message, byte[] wire, int required, boolean mayBeSigned) {
    int kept;
    if (mayBeSigned) {
      try {
        kept = 0;
        for (Record r : new Message(wire).getSection(Section.ADDITIONAL)) {
          if (!(r instanceof OPTRecord) && !(r instanceof TSIGRecord)) {
            kept++;
          }
        }
      } catch (java.io.IOException e) { // our own rendering: cannot happen
        throw new WireException("cannot read back a rendered response: " + e, e);
      }
    } else {
      int arcount = ((wire[10] & 0xff) << 8) | (wire[11] & 0xff);
      kept = arcount - (message.getOPT() != null ? 1 : 0);
    }
    return kept < required;
  }
}
