package io.tierdns.authoritative.edit;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * One change to a zone's content. A change set (a list, applied in order) is committed atomically
 * as one new serial. The PowerDNS-style admin API uses {@link ReplaceRRset} and {@link
 * DeleteRRset}; RFC 2136 UPDATE (§2.5) uses all five.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2136#section-2.5">RFC 2136 §2.5</a>
 */
public sealed interface ZoneChange {

  /** Replace the RRset at (name, type) with {@code records} (all of that name and type). */
  record ReplaceRRset(Name name, int type, List<Record> records) implements ZoneChange {
    public ReplaceRRset {
      records = List.copyOf(records);
    }
  }

  /** Delete the RRset at (name, type); nothing happens when there is none. */
  record DeleteRRset(Name name, int type) implements ZoneChange {}

  /** Delete every RRset at a name (RFC 2136 §2.5.3). */
  record DeleteName(Name name) implements ZoneChange {}

  /** Add one record to its RRset (RFC 2136 §2.5.1); the RRset's TTL becomes the record's. */
  record AddRecord(Record record) implements ZoneChange {}

  /** Delete one record, matched by name, type, class and rdata (RFC 2136 §2.5.4). */
  record DeleteRecord(Record record) implements ZoneChange {}
}
