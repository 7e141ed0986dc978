package io.tierdns.cache.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tierdns.cache.UpstreamError;
import io.tierdns.cache.UpstreamException;
import io.tierdns.wire.Transport;
import io.tierdns.wire.client.DnsClient;
import io.tierdns.wire.client.DnsClientOptions;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class DnsClientUpstreamTest {

  private final DnsClient client = new DnsClient(DnsClientOptions.defaults().withTimeout(Duration.ofMillis(200)));

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void parsesAddressLiteralsWithAndWithoutPort() {
    assertThat(DnsClientUpstream.parse(client, "127.0.0.1:5301").name()).isEqualTo("127.0.0.1:5301");
    assertThat(DnsClientUpstream.parse(client, "192.0.2.1").name()).isEqualTo("192.0.2.1:53");
    assertThat(DnsClientUpstream.parse(client, "[::1]:5300").name()).isEqualTo("[0:0:0:0:0:0:0:1]:5300");
    assertThat(DnsClientUpstream.parse(client, "::1").address().getPort()).isEqualTo(53);
  }

  @Test
  void rejectsHostNamesAndBadPorts() {
    assertThatThrownBy(() -> DnsClientUpstream.parse(client, "ns1.example.net:53"))
        .hasMessageContaining("IP address");
    assertThatThrownBy(() -> DnsClientUpstream.parse(client, "127.0.0.1:99999")).hasMessageContaining("port");
  }

  @Test
  void aTimeoutBecomesAnUpstreamTimeout() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      DnsClientUpstream u =
          new DnsClientUpstream(client, new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()));
      Message q = Message.newQuery(Record.newRecord(Name.fromString("www.example."), Type.A, DClass.IN));
      Throwable failure = u.query(q, Transport.UDP).toCompletableFuture().handle((m, e) -> e).join();
      assertThat(UpstreamException.kindOf(failure)).isEqualTo(UpstreamError.TIMEOUT);
    }
  }
}
