package io.tierdns.wire;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.xbill.DNS.CookieOption;

/**
 * Server cookies of DNS Cookies (RFC 7873) in the interoperable construction of RFC 9018.
 *
 * <p>Design note. A server cookie is 16 bytes: version 1, three reserved bytes, a 32-bit
 * timestamp in seconds and the SipHash-2-4 of client cookie | version | reserved | timestamp |
 * client IP under a 128-bit server secret (RFC 9018 §4). The secret is random per process, so a
 * restart only makes clients learn a new cookie. A presented server cookie is valid when its hash
 * matches for the client's address and its timestamp is at most one hour old and at most five
 * minutes in the future, in serial arithmetic on 32 bits (RFC 9018 §4.3). Every answer carries a
 * freshly stamped cookie, which RFC 9018 §4.3 allows and which spares tracking when to renew.
 * Cookies are answered, not enforced: a query without a valid server cookie is answered normally
 * (RFC 7873 §5.2.3, §5.2.4); a valid one proves the source address, which exempts the query from
 * response rate limiting. Time is the injected {@code epochSeconds}; nothing here touches a socket.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7873">RFC 7873</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9018#section-4">RFC 9018 §4</a>
 */
final class DnsCookies {

  static final int CLIENT_COOKIE = 8;
  static final int SERVER_COOKIE = 16;
  private static final int VERSION = 1;
  private static final int MAX_AGE = 3600;
  private static final int MAX_SKEW = 300;

  private final long k0;
  private final long k1;
  private final LongSupplier epochSeconds;

  /**
   * @param secret the 16-byte server secret
   * @param epochSeconds the clock, seconds since the epoch
   */
  DnsCookies(byte[] secret, LongSupplier epochSeconds) {
    if (secret.length != 16) {
      throw new IllegalArgumentException("the cookie secret is 16 bytes, got " + secret.length);
    }
    this.k0 = SipHash.littleEndian(secret, 0, 8);
    this.k1 = SipHash.littleEndian(secret, 8, 8);
    this.epochSeconds = Objects.requireNonNull(epochSeconds, "epochSeconds");
  }

  /** Cookies with a secret from {@link SecureRandom} and the system clock. */
  static DnsCookies withRandomSecret() {
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    return new DnsCookies(secret, () -> System.currentTimeMillis() / 1000);
  }

  /** The COOKIE option of our answer: the client's cookie and a server cookie stamped now. */
  CookieOption answer(CookieOption query, InetAddress client) {
    byte[] clientCookie = query.getClientCookie();
    return new CookieOption(
        clientCookie, serverCookie(clientCookie, client.getAddress(), epochSeconds.getAsLong()));
  }

  /** Whether the query's cookie carries a server cookie that we made for this client. */
  boolean valid(CookieOption query, InetAddress client) {
    byte[] server = query.getServerCookie().orElse(null);
    if (server == null || server.length != SERVER_COOKIE || server[0] != VERSION) {
      return false;
    }
    long stamp = ((server[4] & 0xFFL) << 24) | ((server[5] & 0xFF) << 16)
        | ((server[6] & 0xFF) << 8) | (server[7] & 0xFF);
    int age = (int) (epochSeconds.getAsLong() - stamp); // RFC 1982 arithmetic on 32 bits
    if (age > MAX_AGE || age < -MAX_SKEW) {
      return false;
    }
    byte[] expected = hashInput(query.getClientCookie(), server, client.getAddress());
    long hash = SipHash.hash24(k0, k1, expected, expected.length);
    byte[] presented = new byte[8];
    System.arraycopy(server, 8, presented, 0, 8);
    return MessageDigest.isEqual(presented, littleEndianBytes(hash));
  }

  /** The 16-byte server cookie for a client cookie, client address and timestamp. */
  byte[] serverCookie(byte[] clientCookie, byte[] clientIp, long timestamp) {
    byte[] cookie = new byte[SERVER_COOKIE];
    cookie[0] = VERSION;
    cookie[4] = (byte) (timestamp >>> 24);
    cookie[5] = (byte) (timestamp >>> 16);
    cookie[6] = (byte) (timestamp >>> 8);
    cookie[7] = (byte) timestamp;
    byte[] input = hashInput(clientCookie, cookie, clientIp);
    System.arraycopy(
        littleEndianBytes(SipHash.hash24(k0, k1, input, input.length)), 0, cookie, 8, 8);
    return cookie;
  }

  /** Client cookie | version | reserved | timestamp (the server cookie's first 8 bytes) | IP. */
  private static byte[] hashInput(byte[] clientCookie, byte[] serverCookie, byte[] ip) {
    byte[] input = new byte[CLIENT_COOKIE + 8 + ip.length];
    System.arraycopy(clientCookie, 0, input, 0, CLIENT_COOKIE);
    System.arraycopy(serverCookie, 0, input, CLIENT_COOKIE, 8);
    System.arraycopy(ip, 0, input, CLIENT_COOKIE + 8, ip.length);
    return input;
  }

  private static byte[] littleEndianBytes(long v) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    return b;
  }
}
