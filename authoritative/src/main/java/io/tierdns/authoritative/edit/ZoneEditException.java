package io.tierdns.authoritative.edit;

import io.tierdns.authoritative.AuthoritativeException;

/**
 * A change that cannot be applied; nothing of it was applied. The kind says how each interface
 * reports it: the admin API maps it to an HTTP status (404, 409, 422), RFC 2136 UPDATE to an rcode.
 */
public final class ZoneEditException extends AuthoritativeException {

  private static final long serialVersionUID = 1L;

  /** Why a change was rejected. */
  public enum Kind {
    /** The zone is not served here (HTTP 404; UPDATE NOTAUTH). */
    UNKNOWN_ZONE,
    /** The zone exists already (HTTP 409). */
    ZONE_EXISTS,
    /** A name is outside the zone (HTTP 422; UPDATE NOTZONE). */
    OUT_OF_ZONE,
    /** Record data that is not valid, or a change the zone rules forbid (HTTP 422; UPDATE FORMERR or REFUSED). */
    INVALID_DATA,
    /** A change that would break zone consistency, e.g. CNAME beside other data (HTTP 422). */
    CONFLICT,
    /** An RFC 2136 prerequisite failed; {@link #rcode()} says which (YXDOMAIN, NXRRSET ...). */
    PREREQUISITE,
    /** Not allowed for this client or key (HTTP 403; UPDATE REFUSED or NOTAUTH). */
    REFUSED
  }

  private final Kind kind;
  private final int rcode;

  public ZoneEditException(Kind kind, String message) {
    this(kind, -1, message);
  }

  /**
   * @param rcode the DNS rcode an UPDATE answers with, or -1 to derive it from the kind
   */
  public ZoneEditException(Kind kind, int rcode, String message) {
    super(message);
    this.kind = kind;
    this.rcode = rcode;
  }

  public Kind kind() {
    return kind;
  }

  /** The DNS rcode given at construction, or -1. */
  public int rcode() {
    return rcode;
  }
}
