package io.tierdns.interop.support;

/**
 * Where a peer configured as a secondary pulls its zone from: the primary's port on 127.0.0.1
 * and, when not null, the TSIG key that signs its SOA queries and transfers. NOTIFY from
 * 127.0.0.1 is accepted unsigned.
 */
public record PrimarySource(int port, TsigKey key) {

  /** Transfers unsigned, allowed by address. */
  public static PrimarySource unsigned(int port) {
    return new PrimarySource(port, null);
  }

  /** Transfers signed with {@code key}. */
  public static PrimarySource signed(int port, TsigKey key) {
    return new PrimarySource(port, key);
  }

  public boolean signed() {
    return key != null;
  }
}
