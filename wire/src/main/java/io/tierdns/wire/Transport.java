package io.tierdns.wire;

/** The transport a query arrived on. RFC 7766 makes TCP a peer of UDP, not a fallback. */
public enum Transport {
  UDP,
  TCP
}
