package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tierdns.wire.DnsServer;
import io.tierdns.wire.Responses;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
      Path zones = Files.createDirectories(tmp.resolve("zones"));
      Files.copy(ConfigurationExamplesTest.REPO.resolve("examples/zones/example.test.zone"), zones.resolve("example.test.zone"));
      try (ApplicationContext context =
          Cli.start(
              Map.of(
                  "tierdns.listen", List.of("127.0.0.1:0"),
                  "tierdns.authoritative.zone-directory", zones.toString(),
                  "tierdns.authoritative.zone-defaults.notify",
                      List.of(ListenAddress.format(secondary.boundAddresses().get(0))),
                  "tierdns.admin.enabled", true,
                  "tierdns.admin.port", -1,
                  "tierdns.admin.api-key", "k"))) {
        URI api = context.getBean(EmbeddedServer.class).getURI();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> patch =
            http.send(
                HttpRequest.newBuilder(api.resolve("/api/v1/servers/localhost/zones/example.test."))
                    .method(
                        "PATCH",
                        HttpRequest.BodyPublishers.ofString(
                            "{\"rrsets\":[{\"name\":\"new.example.test.\",\"type\":\"A\",\"ttl\":60,"
                                + "\"changetype\":\"REPLACE\",\"records\":[{\"content\":\"192.0.2.7\"}]}]}"))
                    .header("X-API-Key", "k")
                    .header("Content-Type", "application/json")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(patch.statusCode()).isEqualTo(204);
        String serial = patch.headers().firstValue("X-Tierdns-Serial").orElseThrow();
        String state = "";
        for (int i = 0; i < 100 && !state.contains("\"acked\""); i++) {
          Thread.sleep(50); // bounded wait for a real UDP round trip, 5 s at most
          state =
              http.send(
                      HttpRequest.newBuilder(api.resolve("/api/v1/tierdns/zones/example.test"))
                          .header("X-API-Key", "k")
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body();
        }
        assertThat(state).contains("\"status\":\"acked\"").contains("\"serial\":" + serial);
        assertThat(received).anySatisfy(m -> assertThat(m.getHeader().getOpcode()).isEqualTo(Opcode.NOTIFY));
      }
    }
  }
}
