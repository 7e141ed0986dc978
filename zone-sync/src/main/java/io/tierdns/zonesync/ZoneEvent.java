package io.tierdns.zonesync;

/**
 * The timed events of one secondary zone, as Knot DNS keeps them per zone ({@code
 * knot/events/events.h}); each has one handler in {@link ZoneFollower}.
 */
public enum ZoneEvent {
  /** SOA REFRESH elapsed (or the zone was just opened): check the primaries' SOA, transfer. */
  REFRESH,
  /** A refresh failed; try again after SOA RETRY. */
  RETRY,
  /** A NOTIFY arrived: check the primaries now (RFC 1996 §4.7). */
  NOTIFY,
  /** No primary answered for SOA EXPIRE: stop answering for the zone (SERVFAIL). */
  EXPIRE,
  /** Compact the journal (write a snapshot entry) when it outgrew its limits. */
  FLUSH,
  /** Compare the zone's ZONEMD digest with a primary's copy; repair by AXFR on divergence. */
  AUDIT,
  /**
   * Hash the serving version's ZONEMD digest for the state, once changes pause: a digest that
   * takes long (a big zone) waits until no change came for as long as the last one took.
   */
  DIGEST
}
