package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tierdns.wire.Transport;
import io.tierdns.wire.testing.RawDnsClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** A cache node forwarding to a primary node, both in this JVM: answers, cache API, flush. */
class CacheRoleTest {

  @TempDir Path tmp;

  @Test
  void aCacheNodeAnswersThroughItsUpstreamAndShowsItsEntries() throws Exception {
    Path zones = Files.createDirectories(tmp.resolve("zones"));
    Files.copy(ConfigurationExamplesTest.REPO.resolve("examples/zones/example.test.zone"), zones.resolve("example.test.zone"));
    try (ApplicationContext primary =
        Cli.start(Map.of("tierdns.listen", List.of("127.0.0.1:0"), "tierdns.authoritative.zone-directory", zones.toString()))) {
      InetSocketAddress upstream = primary.getBean(NodeRuntime.class).boundAddresses().get(0);
      try (ApplicationContext cache =
          Cli.start(
              Map.of(
                  "tierdns.listen", List.of("127.0.0.1:0"),
                  "tierdns.cache.upstreams", List.of(ListenAddress.format(upstream)),
                  "tierdns.admin.enabled", true,
                  "tierdns.admin.port", -1,
                  "tierdns.admin.api-key", "k"))) {
        InetSocketAddress dns = cache.getBean(NodeRuntime.class).boundAddresses().get(0);
        Message query = Message.newQuery(Record.newRecord(Name.fromString("www.example.test."), Type.A, DClass.IN));
        query.getHeader().setFlag(Flags.RD);
        Message first = RawDnsClient.query(dns, query, Transport.UDP);
        assertThat(first.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(first.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("192.0.2.80");
        assertThat(first.getHeader().getFlag(Flags.RA)).isTrue();

        URI api = cache.getBean(EmbeddedServer.class).getURI();
        HttpClient http = HttpClient.newHttpClient();
        String entry = get(http, api.resolve("/api/v1/tierdns/cache/entries?name=www.example.test.&type=A"));
        assertThat(entry).contains("\"remainingTtl\"").contains("192.0.2.80").contains("\"stale\":false");
        assertThat(get(http, api.resolve("/api/v1/tierdns/cache/stats"))).contains("\"tier\":\"local\"").contains("\"misses\":1");
        String flushed =
            http.send(
                    HttpRequest.newBuilder(api.resolve("/api/v1/tierdns/cache/entries?name=example.test.&below=true"))
                        .DELETE()
                        .header("X-API-Key", "k")
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(flushed).isEqualTo("{\"flushed\":1}");
        assertThat(get(http, api.resolve("/api/v1/tierdns/cache/entries?name=www.example.test.&type=A"))).isEqualTo("[]");
      }
    }
  }

  private static String get(HttpClient http, URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).header("X-API-Key", "k").build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
