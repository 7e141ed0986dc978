package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.tierdns.wire.DnsServer;
import io.tierdns.wire.Responses;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;

/** A PATCH through the admin API reaches a secondary as NOTIFY, and its ack shows in the API. */
class NotifyStateTest {

  @TempDir Path tmp;

  @Test
  void anAcknowledgedNotifyShowsInTheZoneState() throws Exception {
    List<Message> received = new CopyOnWriteArrayList<>();
    try (DnsServer secondary =
        new DnsServer(
            List.of(new InetSocketAddress("127.0.0.1", 0)),
            (query, ctx) -> {
              received.add(query);
              return CompletableFuture.completedFuture(Responses.reply(query));
            })) {
      secondary.start();
      Map<String, Object> props = TestNodes.primaryWithAdmin(TestNodes.exampleZones(tmp), "k");
      props.put("tierdns.authoritative.zone-defaults.notify", List.of(ListenAddress.format(secondary.boundAddresses().get(0))));
      try (ApplicationContext context = Cli.start(props)) {
        AdminApiClient api = AdminApiClient.of(context, "k");
        HttpResponse<String> patch =
            api.send(
                "PATCH",
                "/api/v1/servers/localhost/zones/example.test.",
                "{\"rrsets\":[{\"name\":\"new.example.test.\",\"type\":\"A\",\"ttl\":60,"
                    + "\"changetype\":\"REPLACE\",\"records\":[{\"content\":\"192.0.2.7\"}]}]}");
        assertThat(patch.statusCode()).isEqualTo(204);
        String serial = patch.headers().firstValue("X-Tierdns-Serial").orElseThrow();
        String state = "";
        for (int i = 0; i < 100 && !state.contains("\"acked\""); i++) {
          Thread.sleep(50); // bounded wait for a real UDP round trip, 5 s at most
          state = api.get("/api/v1/tierdns/zones/example.test").body();
        }
        assertThat(state).contains("\"status\":\"acked\"").contains("\"serial\":" + serial);
        assertThat(received).anySatisfy(m -> assertThat(m.getHeader().getOpcode()).isEqualTo(Opcode.NOTIFY));
      }
    }
  }
}
