package io.tierdns.authoritative.edit;

import io.tierdns.authoritative.ZoneSnapshot;

/**
 * A committed (durable, serving) zone version.
 *
 * @param snapshot the zone now served
 * @param diff what changed, or {@code null} when the edit changed nothing (no new serial)
 */
public record CommitResult(ZoneSnapshot snapshot, ZoneDiff diff) {

  public long serial() {
    return snapshot.serial();
  }

  public boolean changed() {
    return diff != null;
  }
}
