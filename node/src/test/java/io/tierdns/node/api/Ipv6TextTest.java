package io.tierdns.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** RFC 5952 text of IPv6 addresses, with the RFC's own cases. */
class Ipv6TextTest {

  private static String text(String address) throws Exception {
    return Ipv6Text.of(InetAddress.getByName(address).getAddress());
  }

  @Test
  void theLongestRunOfZeroGroupsIsShortenedToDoubleColon() throws Exception {
    assertThat(text("2001:db8:0:0:0:0:0:80")).isEqualTo("2001:db8::80");
    assertThat(text("2001:0DB8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
    assertThat(text("2001:db8:0:0:1:0:0:0")).isEqualTo("2001:db8:0:0:1::");
    assertThat(text("0:0:0:0:0:0:0:0")).isEqualTo("::");
    assertThat(text("0:0:0:0:0:0:0:1")).isEqualTo("::1");
  }

  @Test
  void aSingleZeroGroupIsNotShortened() throws Exception {
    assertThat(text("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
  }

  @Test
  void anIpv4MappedAddressKeepsItsIpv4PartDotted() {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xFF;
    mapped[11] = (byte) 0xFF;
    mapped[12] = (byte) 192;
    mapped[14] = 2;
    mapped[15] = 1;
    assertThat(Ipv6Text.of(mapped)).isEqualTo("::ffff:192.0.2.1");
  }
}
