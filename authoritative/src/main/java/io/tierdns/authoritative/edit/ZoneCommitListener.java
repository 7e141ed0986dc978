package io.tierdns.authoritative.edit;

import io.tierdns.authoritative.ZoneSnapshot;

/** Told after every committed change (and after zone creation/deletion), off the lock. */
public interface ZoneCommitListener {

  /** A new version is durable and serving. {@code diff} is null for a newly created zone. */
  void committed(ZoneSnapshot snapshot, ZoneDiff diff);

  /** A zone is no longer served. */
  default void deleted(org.xbill.DNS.Name zone) {}
}
