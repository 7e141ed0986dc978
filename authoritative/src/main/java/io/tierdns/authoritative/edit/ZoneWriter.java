package io.tierdns.authoritative.edit;

import org.xbill.DNS.Name;

/**
 * The single write path of the primary: validate, diff, next serial, journal append and fsync,
 * swap the snapshot, tell listeners. Returns only once the change is durable.
 */
public interface ZoneWriter {

  /**
   * Applies an edit to a zone as one new version.
   *
   * @throws ZoneEditException when the zone is unknown or the edit is rejected; nothing changed
   */
  CommitResult commit(Name zone, ZoneEdit edit);
}
