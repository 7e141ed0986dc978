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
}
