package io.tierdns.authoritative.edit;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * The difference between two consecutive versions of a zone, as IXFR carries it (RFC 1995 §4):
 * the old SOA, the records removed, the new SOA, the records added. {@code removed} and {@code
 * added} never contain the SOA itself.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1995#section-4">RFC 1995 §4</a>
 */
public record ZoneDiff(Name zone, SOARecord fromSoa, SOARecord toSoa, List<Record> removed, List<Record> added) {

  public ZoneDiff {
    removed = List.copyOf(removed);
    added = List.copyOf(added);
  }

  public long fromSerial() {
    return fromSoa.getSerial();
  }

  public long toSerial() {
    return toSoa.getSerial();
  }

  /** True when only the SOA changed. */
  public boolean isEmpty() {
    return removed.isEmpty() && added.isEmpty();
  }
}
