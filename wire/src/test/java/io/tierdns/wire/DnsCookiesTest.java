package io.tierdns.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CookieOption;

/** Server cookies against the test vectors of RFC 9018 Appendix A. */
class DnsCookiesTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final String SECRET = "e5e973e5a6b2a43f48e7dc849e37bfcf";

  private final AtomicLong now = new AtomicLong();

  @Test
  void a1LearningANewServerCookie() throws Exception {
    now.set(1559731985);
    CookieOption answer = cookies(SECRET).answer(query("2464c4abcf10c957"), ip("198.51.100.100"));
    assertThat(HEX.formatHex(answer.getClientCookie())).isEqualTo("2464c4abcf10c957");
    assertThat(HEX.formatHex(answer.getServerCookie().orElseThrow()))
        .isEqualTo("010000005cf79f111f8130c3eee29480");
  }

  @Test
  void a2TheSameClientPresentsItFortyMinutesLaterAndGetsARenewedOne() throws Exception {
    DnsCookies cookies = cookies(SECRET);
    now.set(1559734385);
    CookieOption presented = query("2464c4abcf10c957010000005cf79f111f8130c3eee29480");
    assertThat(cookies.valid(presented, ip("198.51.100.100"))).isTrue();
    assertThat(HEX.formatHex(cookies.answer(presented, ip("198.51.100.100")).getServerCookie().orElseThrow()))
        .isEqualTo("010000005cf7a871d4a564a1442aca77");
  }

  @Test
  void a3ReservedOctetsTheClientSentArePartOfTheHash() throws Exception {
    DnsCookies cookies = cookies(SECRET);
    now.set(1559734700);
    CookieOption presented = query("fc93fc62807ddb8601abcdef5cf78f71a314227b6679ebf5");
    // The version octet is 1, but the reserved octets are not zero: RFC 9018 §4.2 says a server
    // verifies what it got, and this vector is valid.
    assertThat(HEX.formatHex(cookies.serverCookie(
            HEX.parseHex("fc93fc62807ddb86"), ip("203.0.113.203").getAddress(), 1559734700)))
        .isEqualTo("010000005cf7a9acf73a7810aca2381e");
    now.set(0x5cf78f71L); // the cookie's own stamp: it is older than an hour at 1559734700
    assertThat(cookies.valid(presented, ip("203.0.113.203"))).isTrue();
    assertThat(cookies.valid(presented, ip("203.0.113.204"))).isFalse();
  }

  @Test
  void a4AnIpv6ClientAfterTheSecretRolledOver() throws Exception {
    now.set(1559741961);
    InetAddress client = ip("2001:db8:220:1:59de:d0f4:8769:82b8");
    CookieOption presented = query("22681ab97d52c298010000005cf7c57926556bd0934c72f8");
    assertThat(cookies("dd3bdf9344b678b185a6f5cb60fca715").valid(presented, client)).isTrue();
    DnsCookies rolled = cookies("445536bcd2513298075a5d379663c962");
    assertThat(rolled.valid(presented, client)).isFalse();
    assertThat(HEX.formatHex(rolled.answer(presented, client).getServerCookie().orElseThrow()))
        .isEqualTo("010000005cf7c609a6bb79d16625507a");
  }

  @Test
  void aCookieIsValidForOneHourAndFiveMinutesOfClockSkew() throws Exception {
    DnsCookies cookies = cookies(SECRET);
    InetAddress client = ip("198.51.100.100");
    byte[] server = cookies.serverCookie(HEX.parseHex("2464c4abcf10c957"), client.getAddress(), 1000);
    CookieOption presented = new CookieOption(HEX.parseHex("2464c4abcf10c957"), server);
    now.set(1000 + 3600);
    assertThat(cookies.valid(presented, client)).isTrue();
    now.set(1000 + 3601);
    assertThat(cookies.valid(presented, client)).isFalse();
    now.set(1000 - 300);
    assertThat(cookies.valid(presented, client)).isTrue();
    now.set(1000 - 301);
    assertThat(cookies.valid(presented, client)).isFalse();
  }

  @Test
  void aCookieStampedJustBeforeTheTimestampWrapsIsStillValidAfter() throws Exception {
    DnsCookies cookies = cookies(SECRET);
    InetAddress client = ip("198.51.100.100");
    byte[] server =
        cookies.serverCookie(HEX.parseHex("2464c4abcf10c957"), client.getAddress(), 0xFFFFFF00L);
    now.set(0x1_0000_0100L); // 512 seconds later, past 2^32
    assertThat(cookies.valid(new CookieOption(HEX.parseHex("2464c4abcf10c957"), server), client))
        .isTrue();
  }

  @Test
  void aTamperedOrForeignServerCookieIsNotValid() throws Exception {
    DnsCookies cookies = cookies(SECRET);
    now.set(1559731985);
    byte[] server = HEX.parseHex("010000005cf79f111f8130c3eee29480");
    InetAddress client = ip("198.51.100.100");
    assertThat(cookies.valid(new CookieOption(HEX.parseHex("2464c4abcf10c957"), server), client))
        .isTrue();
    byte[] tampered = Arrays.copyOf(server, 16);
    tampered[15] ^= 1;
    assertThat(cookies.valid(new CookieOption(HEX.parseHex("2464c4abcf10c957"), tampered), client))
        .isFalse();
    assertThat(cookies.valid(new CookieOption(HEX.parseHex("2464c4abcf10c958"), server), client))
        .isFalse();
    assertThat(cookies.valid(query("2464c4abcf10c957"), client)).isFalse();
  }

  private DnsCookies cookies(String secret) {
    return new DnsCookies(HEX.parseHex(secret), now::get);
  }

  private static CookieOption query(String hex) {
    byte[] b = HEX.parseHex(hex);
    return b.length == 8
        ? new CookieOption(b)
        : new CookieOption(Arrays.copyOf(b, 8), Arrays.copyOfRange(b, 8, b.length));
  }

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }
}
