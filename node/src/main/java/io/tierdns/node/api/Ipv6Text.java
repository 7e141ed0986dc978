package io.tierdns.node.api;

/**
 * The text form of an IPv6 address that RFC 5952 recommends and PowerDNS shows ({@code 2001:db8::80},
 * not Java's {@code 2001:db8:0:0:0:0:0:80}): lower-case hex without leading zeros, the longest run
 * of two or more zero groups (the first of equal runs) as {@code ::}, and an IPv4-mapped address
 * with its IPv4 part dotted. Tools such as external-dns compare these strings.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5952#section-4">RFC 5952 section 4</a>
 */
public final class Ipv6Text {

  private Ipv6Text() {}

  /** The RFC 5952 text of a 16-byte address. */
  public static String of(byte[] address) {
    if (address.length != 16) {
      throw new IllegalArgumentException("an IPv6 address has 16 bytes, not " + address.length);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((address[2 * i] & 0xFF) << 8) | (address[2 * i + 1] & 0xFF);
    }
    if (groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
        && groups[5] == 0xFFFF) {
      // RFC 5952 section 5: an IPv4-mapped address keeps its IPv4 part dotted
      return "::ffff:" + (address[12] & 0xFF) + "." + (address[13] & 0xFF) + "." + (address[14] & 0xFF)
          + "." + (address[15] & 0xFF);
    }
    int bestStart = -1;
    int bestLength = 1; // a single zero group is not shortened (section 4.2.2)
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int start = i;
      while (i < 8 && groups[i] == 0) {
        i++;
      }
      if (i - start > bestLength) {
        bestStart = start;
        bestLength = i - start;
      }
    }
    StringBuilder out = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }
}
