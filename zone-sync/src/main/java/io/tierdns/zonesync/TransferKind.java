package io.tierdns.zonesync;

/** How a zone version arrived. */
public enum TransferKind {
  /** Incremental, RFC 1995. */
  IXFR,
  /** Full, RFC 5936. */
  AXFR
}
