package io.tierdns.node.api;

import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.CommitResult;
import io.tierdns.authoritative.edit.ZoneEdit;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** What the admin API needs of the primary: its zones and its single write path. */
public interface ZoneService {

  /** Every zone served, in name order. */
  List<ZoneSnapshot> zones();

  Optional<ZoneSnapshot> zone(Name name);

  /** Commits an edit as one new serial; durable when it returns. */
  CommitResult commit(Name zone, ZoneEdit edit);

  /** Creates a zone from its records (SOA and apex NS included); durable when it returns. */
  ZoneSnapshot create(Name zone, List<Record> records);

  /** Stops serving a zone and removes its files. */
  void delete(Name zone);

  /** The highest serial every secondary has acknowledged a NOTIFY for, or the current serial. */
  long notifiedSerial(Name zone);

  /** Sends NOTIFY for the zone's current serial to its secondaries now. */
  void notifySecondaries(Name zone);
}
