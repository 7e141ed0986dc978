package io.tierdns.authoritative.journal;

import io.tierdns.authoritative.edit.ZoneDiff;
import java.util.List;
import org.xbill.DNS.Record;

/** One entry of a journal file, as decoded. */
sealed interface JournalEntry {

  /** The whole zone at one serial ("zone-in-journal"), SOA included. */
  record Snapshot(List<Record> records) implements JournalEntry {}

  /** One committed change. */
  record Diff(ZoneDiff diff) implements JournalEntry {}

  /** The zone file was written at this point. */
  record Flush(FlushMark mark) implements JournalEntry {}
}
