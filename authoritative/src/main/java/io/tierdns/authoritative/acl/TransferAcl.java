package io.tierdns.authoritative.acl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.xbill.DNS.Address;
import org.xbill.DNS.Name;

/**
 * Who may transfer a zone (AXFR and IXFR), as configured per zone: {@code transfer: {allow: [...]}}.
 *
 * <p>Each entry is a rule; a transfer is allowed when any rule matches. A rule is one or two
 * space-separated terms, all of which must match:
 *
 * <ul>
 *   <li>{@code 192.0.2.0/24}, {@code 2001:db8::/32}, {@code 127.0.0.1} (a host): the client's
 *       address is in the network;
 *   <li>{@code key:NAME}: the query is signed with the TSIG key NAME and the signature verified.
 * </ul>
 *
 * So {@code ["key:xfr"]} lets any address in with the key, {@code ["10.0.0.0/8"]} lets that
 * network in unsigned, and {@code ["10.0.0.0/8 key:xfr"]} asks for both (as a Knot DNS ACL with
 * {@code address} and {@code key}). With no rule (the default) every transfer is denied; a denied
 * transfer is answered REFUSED, as BIND 9 does (Knot DNS answers NOTAUTH with TSIG error BADKEY).
 *
 * <p>Pure: addresses are raw bytes (4 or 16), so nothing here touches the network.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5936#section-6">RFC 5936 §6</a>
 */
public final class TransferAcl {

  private static final TransferAcl DENY_ALL = new TransferAcl(List.of());

  /** One rule: every non-null term must match. */
  private record Rule(byte[] network, int prefix, Name key, String text) {
    boolean matches(byte[] address, Name verifiedKey) {
      if (key != null && !key.equals(verifiedKey)) {
        return false;
      }
      return network == null || (address != null && inNetwork(address));
    }

    private boolean inNetwork(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private final List<Rule> rules;

  private TransferAcl(List<Rule> rules) {
    this.rules = rules;
  }

  /** Nobody may transfer: the default for a zone without {@code transfer.allow}. */
  public static TransferAcl denyAll() {
    return DENY_ALL;
  }

  /**
   * Parses the configured rules.
   *
   * @throws IllegalArgumentException naming the entry when it is not a network, {@code key:NAME}
   *     or one of each
   */
  public static TransferAcl parse(List<String> entries) {
    List<Rule> rules = new ArrayList<>();
    for (String entry : Objects.requireNonNull(entries, "entries")) {
      rules.add(rule(entry));
    }
    return rules.isEmpty() ? DENY_ALL : new TransferAcl(List.copyOf(rules));
  }

  /** Parses the configured rules; see {@link #parse(List)}. */
  public static TransferAcl parse(String... entries) {
    return parse(Arrays.asList(entries));
  }

  private static Rule rule(String entry) {
    String[] terms = entry.trim().split("\\s+");
    if (entry.isBlank() || terms.length > 2) {
      throw new IllegalArgumentException(
          "transfer ACL entry '" + entry + "': expected a network, key:NAME, or both");
    }
    byte[] network = null;
    int prefix = 0;
    Name key = null;
    for (String term : terms) {
      if (term.toLowerCase(Locale.ROOT).startsWith("key:")) {
        if (key != null) {
          throw new IllegalArgumentException("transfer ACL entry '" + entry + "': two keys");
        }
        key = TsigKeyring.keyName(term.substring(4));
      } else {
        if (network != null) {
          throw new IllegalArgumentException("transfer ACL entry '" + entry + "': two networks");
        }
        int slash = term.indexOf('/');
        String host = slash < 0 ? term : term.substring(0, slash);
        network = address(host);
        if (network == null) {
          throw new IllegalArgumentException(
              "transfer ACL entry '" + entry + "': '" + host + "' is not an IP address");
        }
        prefix = network.length * 8;
        if (slash >= 0) {
          try {
            prefix = Integer.parseInt(term.substring(slash + 1));
          } catch (NumberFormatException e) {
            prefix = -1;
          }
          if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException(
                "transfer ACL entry '" + entry + "': bad prefix length in " + term);
          }
        }
      }
    }
    return new Rule(network, prefix, key, entry.trim());
  }

  private static byte[] address(String literal) {
    byte[] v4 = Address.toByteArray(literal, Address.IPv4);
    return v4 != null ? v4 : Address.toByteArray(literal, Address.IPv6);
  }

  /**
   * Whether a transfer is allowed.
   *
   * @param clientAddress the client's address, 4 or 16 bytes (an IPv4-mapped IPv6 address counts
   *     as IPv4); {@code null} when unknown, which only key-only rules allow
   * @param verifiedKey the TSIG key the query was verified with, or {@code null} when unsigned
   */
  public boolean allows(byte[] clientAddress, Name verifiedKey) {
    byte[] address = unmapped(clientAddress);
    for (Rule rule : rules) {
      if (rule.matches(address, verifiedKey)) {
        return true;
      }
    }
    return false;
  }

  /** True when no rule is configured: every transfer is denied. */
  public boolean deniesAll() {
    return rules.isEmpty();
  }

  private static byte[] unmapped(byte[] address) {
    if (address == null || address.length != 16) {
      return address;
    }
    for (int i = 0; i < 10; i++) {
      if (address[i] != 0) {
        return address;
      }
    }
    if (address[10] != (byte) 0xFF || address[11] != (byte) 0xFF) {
      return address;
    }
    return Arrays.copyOfRange(address, 12, 16);
  }

  @Override
  public String toString() {
    List<String> texts = new ArrayList<>();
    for (Rule r : rules) {
      texts.add(r.text());
    }
    return "TransferAcl" + texts;
  }
}
