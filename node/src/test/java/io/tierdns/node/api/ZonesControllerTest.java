package io.tierdns.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.tierdns.node.AdminApiClient;
import io.tierdns.node.Cli;
import io.tierdns.node.TestNodes;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

/** The PowerDNS-compatible zone API over HTTP, as an operator's tools call it. */
class ZonesControllerTest {

  private static final String KEY = "zones-key";
  private static final String ZONES = "/api/v1/servers/localhost/zones";
  private static final String ZONE = ZONES + "/example.test.";

  @TempDir Path tmp;
  private ApplicationContext context;
  private AdminApiClient api;

  @BeforeEach
  void start() throws Exception {
    context = Cli.start(TestNodes.primaryWithAdmin(TestNodes.exampleZones(tmp), KEY));
    api = AdminApiClient.of(context, KEY);
  }

  @AfterEach
  void stop() {
    context.close();
  }

  private static String replaceTxt(String name, String contentJson) {
    return "{\"rrsets\":[{\"name\":\"" + name + "\",\"type\":\"TXT\",\"ttl\":60,\"changetype\":\"REPLACE\","
        + "\"records\":[{\"content\":" + contentJson + ",\"disabled\":false}]}]}";
  }

  @Test
  void unquotedTxtContentWithSpacesIs422AndChangesNothing() throws Exception {
    String before = api.get(ZONE).body();
    HttpResponse<String> r =
        api.send("PATCH", ZONE, replaceTxt("spf.example.test.", "\"v=spf1 include:_spf.example.net -all\""));
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.body()).startsWith("{\"error\":").contains("should start with quote");
    assertThat(api.get(ZONE).body()).isEqualTo(before);
  }

  @Test
  void unquotedTxtContentWithSpacesInAZoneCreationIs422AndCreatesNothing() throws Exception {
    HttpResponse<String> r = api.send("POST", ZONES,
        "{\"name\":\"shop.test.\",\"nameservers\":[\"ns1.example.test.\"],\"rrsets\":[{\"name\":\"shop.test.\","
            + "\"type\":\"SPF\",\"ttl\":60,\"records\":[{\"content\":\"v=spf1 -all\"}]}]}");
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.body()).startsWith("{\"error\":");
    assertThat(api.get(ZONES + "/shop.test.").statusCode()).isEqualTo(404);
  }

  @Test
  void aQuotedTxtWithSpacesOrOneBareTokenIsServedAsOneString() throws Exception {
    assertThat(api.send("PATCH", ZONE, replaceTxt("spf.example.test.", "\"\\\"v=spf1 include:_spf.example.net -all\\\"\""))
        .statusCode()).isEqualTo(204);
    assertThat(api.send("PATCH", ZONE, replaceTxt("token.example.test.", "\"token-123\"")).statusCode()).isEqualTo(204);
    assertThat(api.get(ZONE).body())
        .contains("{\"content\":\"\\\"v=spf1 include:_spf.example.net -all\\\"\"")
        .contains("{\"content\":\"\\\"token-123\\\"\"");
  }

  @Test
  void nonAsciiTxtContentIsServedAsItsUtf8BytesOnceWhetherJsonEscapedOrRaw() throws Exception {
    assertThat(api.send("PATCH", ZONE, replaceTxt("json.example.test.", "\"\\\"caf\\u00e9\\\"\"")).statusCode())
        .isEqualTo(204);
    assertThat(api.send("PATCH", ZONE, replaceTxt("raw.example.test.", "\"\\\"caf\u00e9\\\"\"")).statusCode())
        .isEqualTo(204);
    String zone = api.get(ZONE).body();
    assertThat(zone).doesNotContain("\\\\195\\\\131");
    for (String name : new String[] {"json.example.test.", "raw.example.test."}) {
      Record txt = context.getBean(ZoneService.class).zone(Name.fromConstantString("example.test.")).orElseThrow()
          .records().stream().filter(r -> r.getName().toString().equals(name)).findFirst().orElseThrow();
      assertThat(((TXTRecord) txt).getStringsAsByteArrays())
          .containsExactly("caf\u00e9".getBytes(StandardCharsets.UTF_8));
      assertThat(zone).contains("\"name\":\"" + name + "\"")
          .contains("{\"content\":\"\\\"caf\\\\195\\\\169\\\"\"");
    }
  }

  @Test
  void creatingTheRootZoneIs422WithAReasonNot500() throws Exception {
    HttpResponse<String> r = api.send("POST", ZONES, "{\"name\":\".\",\"nameservers\":[\"ns1.example.test.\"]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    assertThat(r.body()).startsWith("{\"error\":").doesNotContain("hostmaster..");
  }

  @Test
  void aZoneNameTooLongForAMadeSoaIs422() throws Exception {
    String zone = ("a".repeat(60) + ".").repeat(4);
    HttpResponse<String> r = api.send("POST", ZONES, "{\"name\":\"" + zone + "\",\"nameservers\":[\"ns1.example.test.\"]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    assertThat(r.body()).startsWith("{\"error\":");
  }

  /** A request as {@code curl -d} sends it: the JSON body as {@code application/x-www-form-urlencoded}, or with no type. */
  private HttpResponse<String> sendTyped(String method, String path, String body, String contentType) throws Exception {
    java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(api.uri().resolve(path))
        .header("X-API-Key", KEY)
        .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return java.net.http.HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aJsonBodyIsReadWhateverItsContentTypeAsPowerDnsReadsIt() throws Exception {
    for (String type : new String[] {"application/x-www-form-urlencoded", null, "text/plain"}) {
      HttpResponse<String> r = sendTyped("PATCH", ZONE, replaceTxt("t.example.test.", "\"\\\"" + type + "\\\"\""), type);
      assertThat(r.statusCode()).as(type + ": " + r.body()).isEqualTo(204);
      assertThat(api.get(ZONE).body()).contains("\\\"" + type + "\\\"");
    }
    HttpResponse<String> created = sendTyped("POST", ZONES,
        "{\"name\":\"shop.test.\",\"nameservers\":[\"ns1.example.test.\"]}", "application/x-www-form-urlencoded");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  @Test
  void aBodyThatIsNotJsonIs400WithAReason() throws Exception {
    HttpResponse<String> r = sendTyped("PATCH", ZONE, "rrsets=nothing", "application/x-www-form-urlencoded");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).startsWith("{\"error\":");
    assertThat(api.send("PATCH", ZONE, "{\"rrsets\": [").statusCode()).isEqualTo(400);
  }

  @Test
  void aaaaContentIsShownInRfc5952FormInTheZoneAndItsExport() throws Exception {
    assertThat(api.send("PATCH", ZONE, "{\"rrsets\":[{\"name\":\"v6.example.test.\",\"type\":\"AAAA\",\"ttl\":60,"
        + "\"changetype\":\"REPLACE\",\"records\":[{\"content\":\"2001:0db8:0:0:0:0:0:0081\"}]}]}").statusCode())
        .isEqualTo(204);
    String zone = api.get(ZONE).body();
    assertThat(zone).contains("{\"content\":\"2001:db8::80\"").contains("{\"content\":\"2001:db8::81\"")
        .doesNotContain("0:0:0");
    String export = api.get(ZONE + "/export").body();
    assertThat(export).containsPattern("v6\\.example\\.test\\.\\s+60\\s+IN\\s+AAAA\\s+2001:db8::81\n")
        .contains("2001:db8::80\n").doesNotContain("0:0:0");
  }
}
