package io.tierdns.authoritative.edit;

import io.tierdns.authoritative.ZoneSnapshot;
import java.util.List;

/**
 * Computes a change set from the zone version it will apply to. It runs under the zone's write
 * lock, so checks made in it (RFC 2136 prerequisites, PowerDNS "zone must exist") hold when the
 * changes are applied.
 */
@FunctionalInterface
public interface ZoneEdit {

  /**
   * @param current the zone as it is now
   * @return the changes, applied in order as one new version; empty for no change
   * @throws ZoneEditException to reject the edit; nothing is applied
   */
  List<ZoneChange> changes(ZoneSnapshot current);
}
