package io.tierdns.zonesync;

import io.tierdns.authoritative.acl.TransferAcl;
import io.tierdns.authoritative.notify.NotifyTarget;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * One zone this node serves as a secondary: {@code secondary: {zone, primaries, ...}}.
 *
 * <p>Pure validation, no I/O. The SOA REFRESH, RETRY and EXPIRE of the zone drive the timers; the
 * bounds here clamp them (as Knot DNS's {@code refresh-min-interval} and friends), so a primary
 * with a silly SOA can neither hammer us nor keep a dead zone alive for years. Jitter spreads the
 * refreshes of many zones (Knot does the same).
 *
 * @param zone the zone apex, absolute
 * @param primaries where the zone is pulled from, in preference order when serials tie; at least
 *     one, no address twice
 * @param refresh bounds for the SOA REFRESH
 * @param retry bounds for the SOA RETRY
 * @param expire bounds for the SOA EXPIRE (and for an EDNS EXPIRE value received)
 * @param jitter fraction in [0, 0.5] by which a REFRESH or RETRY delay is shortened at random
 * @param notifyTargets downstream secondaries sent NOTIFY after each applied change (chaining)
 * @param allowTransfer who may transfer the zone from us (downstream secondaries)
 * @param allowNotify who may NOTIFY us besides the primaries' addresses (a primary with a key
 *     must sign its NOTIFY with that key); {@link TransferAcl#denyAll()} for nobody else
 * @param auditInterval how often the ZONEMD audit compares us with a primary; {@code null} or
 *     zero for never
 * @param verifyZonemd reject a transferred version whose ZONEMD record does not match it (RFC
 *     8976 §4)
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1035#section-3.3.13">RFC 1035 §3.3.13</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1996">RFC 1996</a>
 */
public record SecondaryZoneConfig(
    Name zone,
    List<Primary> primaries,
    Bounds refresh,
    Bounds retry,
    Bounds expire,
    double jitter,
    List<NotifyTarget> notifyTargets,
    TransferAcl allowTransfer,
    TransferAcl allowNotify,
    Duration auditInterval,
    boolean verifyZonemd) {

  /** Default REFRESH bounds: 2 s .. 1 day (Knot DNS's defaults). */
  public static final Bounds DEFAULT_REFRESH = new Bounds(Duration.ofSeconds(2), Duration.ofDays(1));

  /** Default RETRY bounds: 1 s .. 1 day. */
  public static final Bounds DEFAULT_RETRY = new Bounds(Duration.ofSeconds(1), Duration.ofDays(1));

  /** Default EXPIRE bounds: 3 s .. 14 days. */
  public static final Bounds DEFAULT_EXPIRE = new Bounds(Duration.ofSeconds(3), Duration.ofDays(14));

  /** Default jitter: refreshes come up to 10% early. */
  public static final double DEFAULT_JITTER = 0.1;

  /**
   * One primary.
   *
   * @param address its address and port
   * @param keyName the TSIG key SOA queries and transfers are signed with (and its NOTIFY must be
   *     signed with), or {@code null}
   */
  public record Primary(InetSocketAddress address, Name keyName) {
    public Primary {
      Objects.requireNonNull(address, "address");
      if (address.isUnresolved()) {
        throw new IllegalArgumentException("primary " + address + " is not an IP address");
      }
    }

    public Primary(InetSocketAddress address) {
      this(address, null);
    }

    @Override
    public String toString() {
      String a = address.getAddress().getHostAddress() + "@" + address.getPort();
      return keyName == null ? a : a + " key " + keyName;
    }
  }

  /**
   * Clamps for one SOA timer.
   *
   * @param min the shortest value used; positive
   * @param max the longest value used; at least {@code min}
   */
  public record Bounds(Duration min, Duration max) {
    public Bounds {
      Objects.requireNonNull(min, "min");
      Objects.requireNonNull(max, "max");
      if (min.isNegative() || min.isZero()) {
        throw new IllegalArgumentException("timer minimum must be positive, got " + min);
      }
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException("timer maximum " + max + " is below its minimum " + min);
      }
    }

    /** {@code value} brought into [min, max]. */
    public Duration clamp(Duration value) {
      return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
    }
  }

  public SecondaryZoneConfig {
    Objects.requireNonNull(zone, "zone");
    if (!zone.isAbsolute()) {
      throw new IllegalArgumentException("zone " + zone + " is not absolute");
    }
    primaries = List.copyOf(Objects.requireNonNull(primaries, "primaries"));
    if (primaries.isEmpty()) {
      throw new IllegalArgumentException("zone " + zone + ": a secondary zone needs at least one primary");
    }
    Set<InetSocketAddress> seen = new HashSet<>();
    for (Primary p : primaries) {
      if (!seen.add(p.address())) {
        throw new IllegalArgumentException("zone " + zone + ": primary " + p.address() + " is listed twice");
      }
    }
    Objects.requireNonNull(refresh, "refresh");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(expire, "expire");
    if (!(jitter >= 0 && jitter <= 0.5)) {
      throw new IllegalArgumentException("zone " + zone + ": jitter must be in [0, 0.5], got " + jitter);
    }
    notifyTargets = List.copyOf(notifyTargets == null ? List.of() : notifyTargets);
    allowTransfer = allowTransfer == null ? TransferAcl.denyAll() : allowTransfer;
    allowNotify = allowNotify == null ? TransferAcl.denyAll() : allowNotify;
    if (auditInterval != null && auditInterval.isNegative()) {
      throw new IllegalArgumentException("zone " + zone + ": audit interval must not be negative");
    }
    if (auditInterval != null && auditInterval.isZero()) {
      auditInterval = null;
    }
  }

  /** A zone with default timers, no downstream, no audit, ZONEMD verified. */
  public static SecondaryZoneConfig of(Name zone, List<Primary> primaries) {
    return new SecondaryZoneConfig(
        zone, primaries, DEFAULT_REFRESH, DEFAULT_RETRY, DEFAULT_EXPIRE, DEFAULT_JITTER,
        List.of(), TransferAcl.denyAll(), TransferAcl.denyAll(), null, true);
  }

  public SecondaryZoneConfig withNotify(List<NotifyTarget> targets, TransferAcl transfer) {
    return new SecondaryZoneConfig(
        zone, primaries, refresh, retry, expire, jitter, targets, transfer, allowNotify,
        auditInterval, verifyZonemd);
  }

  public SecondaryZoneConfig withTimers(Bounds refreshBounds, Bounds retryBounds, Bounds expireBounds, double jitterFraction) {
    return new SecondaryZoneConfig(
        zone, primaries, refreshBounds, retryBounds, expireBounds, jitterFraction, notifyTargets,
        allowTransfer, allowNotify, auditInterval, verifyZonemd);
  }

  public SecondaryZoneConfig withAudit(Duration interval) {
    return new SecondaryZoneConfig(
        zone, primaries, refresh, retry, expire, jitter, notifyTargets, allowTransfer, allowNotify,
        interval, verifyZonemd);
  }

  public SecondaryZoneConfig withAllowNotify(TransferAcl acl) {
    return new SecondaryZoneConfig(
        zone, primaries, refresh, retry, expire, jitter, notifyTargets, allowTransfer, acl,
        auditInterval, verifyZonemd);
  }
}
