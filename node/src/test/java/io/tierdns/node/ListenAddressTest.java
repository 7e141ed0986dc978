package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ListenAddressTest {

  @Test
  void parsesIpv4AndBracketedIpv6() {
    assertThat(ListenAddress.parse("127.0.0.1:5300")).isEqualTo(new InetSocketAddress("127.0.0.1", 5300));
    InetSocketAddress v6 = ListenAddress.parse("[::1]:53");
    assertThat(v6.getAddress().isLoopbackAddress()).isTrue();
    assertThat(ListenAddress.format(v6)).isEqualTo("[0:0:0:0:0:0:0:1]:53");
  }

  @Test
  void rejectsNamesBadPortsAndUnbracketedIpv6() {
    assertThatThrownBy(() -> ListenAddress.parse("localhost:53")).hasMessageContaining("literal");
    assertThatThrownBy(() -> ListenAddress.parse("127.0.0.1:70000")).hasMessageContaining("0..65535");
    assertThatThrownBy(() -> ListenAddress.parse("127.0.0.1:x")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> ListenAddress.parse("::1:53")).hasMessageContaining("brackets");
    assertThatThrownBy(() -> ListenAddress.parse("127.0.0.1")).hasMessageContaining("ADDR:PORT");
    assertThatThrownBy(() -> ListenAddress.parse(null)).hasMessageContaining("ADDR:PORT");
  }
}
