package io.tierdns.authoritative.update;

import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.CommitResult;
import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.edit.ZoneChange;
import io.tierdns.authoritative.edit.ZoneChanges;
import io.tierdns.authoritative.edit.ZoneEdit;
import io.tierdns.authoritative.edit.ZoneEditException;
import io.tierdns.authoritative.edit.ZoneWriter;
import io.tierdns.authoritative.serial.Serial;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * A {@link ZoneWriter} without a journal, for tests: one lock, serial + 1 per change (or the
 * serial an UPDATE set explicitly when that is newer, as BIND), the new snapshot published to a
 * {@link ZoneRegistry}.
 */
final class InMemoryZoneWriter implements ZoneWriter {

  private final ZoneRegistry registry;
  private final List<List<ZoneChange>> commits = new ArrayList<>();

  InMemoryZoneWriter(ZoneRegistry registry) {
    this.registry = registry;
  }

  @Override
  public synchronized CommitResult commit(Name zone, ZoneEdit edit) {
    ZoneSnapshot current =
        registry
            .zone(zone)
            .orElseThrow(
                () -> new ZoneEditException(ZoneEditException.Kind.UNKNOWN_ZONE, "no zone " + zone));
    List<ZoneChange> changes = edit.changes(current);
    if (changes.isEmpty()) {
      return new CommitResult(current, null);
    }
    long next = Serial.add(current.serial(), 1);
    for (ZoneChange c : changes) {
      if (c instanceof ZoneChange.ReplaceRRset r && r.type() == Type.SOA) {
        long asked = ((SOARecord) r.records().get(0)).getSerial();
        if (Serial.isNewer(asked, next)) {
          next = asked;
        }
      }
    }
    ZoneSnapshot after = ZoneChanges.apply(current, changes, next);
    registry.put(after);
    commits.add(List.copyOf(changes));
    return new CommitResult(after, Diffs.between(current, after));
  }

  /** The change sets committed so far. */
  synchronized List<List<ZoneChange>> commits() {
    return List.copyOf(commits);
  }
}
