package io.tierdns.authoritative.update;

import java.util.Arrays;
import org.xbill.DNS.Address;

/**
 * An IPv4 or IPv6 address prefix ({@code 192.0.2.0/24}, {@code ::1/128}, or a bare address for a
 * single host), as used by {@link UpdatePolicy#allowUnsignedFrom()}.
 *
 * <p>Addresses are raw bytes (4 or 16) so the policy stays free of {@code java.net}; the handler
 * passes {@code InetAddress.getAddress()}. An IPv4 prefix never matches an IPv6 address and the
 * other way round.
 *
 * @param address the network address, with the host bits cleared
 * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
 */
public record Network(byte[] address, int prefixLength) {

  public Network {
    if (address.length != 4 && address.length != 16) {
      throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + address.length);
    }
    if (prefixLength < 0 || prefixLength > address.length * 8) {
      throw new IllegalArgumentException(
          "prefix length " + prefixLength + " is out of range for a " + address.length * 8 + "-bit address");
    }
    address = mask(address.clone(), prefixLength);
  }

  /**
   * Parses {@code ADDRESS[/PREFIX]}.
   *
   * @throws IllegalArgumentException naming the text when it is not a literal address or prefix
   */
  public static Network parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    String addr = slash < 0 ? s : s.substring(0, slash);
    byte[] bytes = Address.toByteArray(addr, Address.IPv4);
    if (bytes == null) {
      bytes = Address.toByteArray(addr, Address.IPv6);
    }
    if (bytes == null) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or prefix");
    }
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' has no valid prefix length", e);
      }
    }
    try {
      return new Network(bytes, prefix);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
    }
  }

  /** True when {@code candidate} (4 or 16 bytes) lies in this prefix. */
  public boolean contains(byte[] candidate) {
    if (candidate == null || candidate.length != address.length) {
      return false;
    }
    return Arrays.equals(mask(candidate.clone(), prefixLength), address);
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    for (int i = 0; i < bytes.length; i++) {
      int bits = Math.max(0, Math.min(8, prefix - i * 8));
      bytes[i] &= (byte) (0xFF << (8 - bits));
    }
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Network n && prefixLength == n.prefixLength && Arrays.equals(address, n.address);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(address) + prefixLength;
  }

  @Override
  public String toString() {
    String a =
        address.length == 4
            ? Address.toDottedQuad(address)
            : ipv6(address);
    return a + "/" + prefixLength;
  }

  private static String ipv6(byte[] a) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 16; i += 2) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(Integer.toHexString(((a[i] & 0xFF) << 8) | (a[i + 1] & 0xFF)));
    }
    return sb.toString();
  }
}
