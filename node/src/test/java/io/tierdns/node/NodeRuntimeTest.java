package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.management.health.monitor.HealthMonitorTask;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** A whole node in this JVM on loopback port 0: DNS over UDP and TCP, reload, admin API. */
class NodeRuntimeTest {

  private static final String KEY = "test-key";
  @TempDir Path tmp;
  private ApplicationContext context;
  private InetSocketAddress dns;
  private URI http;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    Path zones = TestNodes.exampleZones(tmp, "example.test.zone", "lab.test.zone");
    context = Cli.start(TestNodes.primaryWithAdmin(zones, KEY));
    dns = context.getBean(NodeRuntime.class).boundAddresses().get(0);
    http = context.getBean(EmbeddedServer.class).getURI();
  }

  @AfterEach
  void stop() {
    context.close();
  }

  private Message ask(String name, int type, Transport transport) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    return RawDnsClient.query(dns, query, transport);
  }

  @Test
  void answersAuthoritativelyOverUdpAndTcp() throws Exception {
    for (Transport t : Transport.values()) {
      Message r = ask("www.example.test.", Type.A, t);
      assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
      assertThat(r.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("192.0.2.80");
    }
    assertThat(ask("www.nowhere.test.", Type.A, Transport.UDP).getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void qclassAnyIsAnsweredFromTheInDataAlsoFromThePacketCache() throws Exception {
    for (int i = 0; i < 2; i++) { // the second answer is the packet cache's
      Message query = Message.newQuery(
          Record.newRecord(Name.fromString("WWW.example.test."), Type.A, DClass.ANY));
      Message r = RawDnsClient.query(dns, query, Transport.UDP);
      assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
      assertThat(r.getQuestion().getDClass()).isEqualTo(DClass.ANY);
      assertThat(r.getQuestion().getName().toString()).isEqualTo("WWW.example.test.");
      assertThat(r.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("192.0.2.80");
    }
    Message chaos = Message.newQuery(
        Record.newRecord(Name.fromString("www.example.test."), Type.A, DClass.CH));
    assertThat(RawDnsClient.query(dns, chaos, Transport.UDP).getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void aPrimaryAnswersNotifyNotAuthForItsZonesAndOthersAsKnot() throws Exception {
    for (String zone : new String[] {"example.test.", "nowhere.test."}) {
      Message notify = Message.newQuery(Record.newRecord(Name.fromString(zone), Type.SOA, DClass.IN));
      notify.getHeader().setOpcode(Opcode.NOTIFY);
      notify.getHeader().setFlag(Flags.AA);
      notify.getHeader().unsetFlag(Flags.RD);
      Message r = RawDnsClient.query(dns, notify, Transport.UDP);
      assertThat(r.getRcode()).as(zone).isEqualTo(Rcode.NOTAUTH);
      assertThat(r.getHeader().getOpcode()).isEqualTo(Opcode.NOTIFY);
    }
  }

  @Test
  void reloadSwapsInEditedZonesAndKeepsAZoneWhoseFileBroke() throws Exception {
    Path zones = tmp.resolve("zones");
    Path example = zones.resolve("example.test.zone");
    Files.writeString(example, Files.readString(example).replace("192.0.2.80", "192.0.2.81").replace("2026112101", "2026112102"));
    Files.writeString(zones.resolve("lab.test.zone"), "$ORIGIN lab.test.\nwww 60 IN A not-an-address\n@ 60 IN NS ns1\n");
    HttpResponse<String> reload = post("/api/v1/tierdns/zones/reload", KEY);
    assertThat(reload.statusCode()).isEqualTo(200);
    assertThat(reload.body()).contains("\"serial\":2026112102").contains("lab.test.zone:2");
    assertThat(ask("www.example.test.", Type.A, Transport.UDP).getSection(Section.ANSWER))
        .extracting(r -> ((ARecord) r).getAddress().getHostAddress())
        .containsExactly("192.0.2.81");
    assertThat(ask("www.lab.test.", Type.A, Transport.UDP).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void reloadMarksAZoneWhoseFileBrokeAsStillServingItsPreviousVersion() throws Exception {
    Path example = tmp.resolve("zones").resolve("example.test.zone");
    Files.writeString(example, Files.readString(example).replace("192.0.2.80", "not-an-address"));
    HttpResponse<String> reload = post("/api/v1/tierdns/zones/reload", KEY);
    assertThat(reload.statusCode()).isEqualTo(200);
    assertThat(reload.body())
        .contains("{\"zone\":\"example.test.\",\"serial\":2026112101,\"previous\":true}")
        .contains("{\"zone\":\"lab.test.\"")
        .doesNotContain("\"lab.test.\",\"serial\":2026112101,\"previous\":true")
        .contains("example.test.zone:");
    assertThat(reload.body()).containsPattern("\"lab\\.test\\.\",\"serial\":\\d+,\"previous\":false");
  }

  @Test
  void reloadWithoutErrorsAnswersAnEmptyErrorList() throws Exception {
    HttpResponse<String> reload = post("/api/v1/tierdns/zones/reload", KEY);
    assertThat(reload.statusCode()).isEqualTo(200);
    assertThat(reload.body()).contains("\"previous\":false").endsWith(",\"errors\":[]}");
  }

  @Test
  void theApiNeedsTheKeyButHealthAndMetricsAreOpen() throws Exception {
    assertThat(get("/api", null).statusCode()).isEqualTo(401);
    assertThat(get("/api", "wrong").statusCode()).isEqualTo(401);
    assertThat(get("/api", null).body()).contains("\"error\"");
    HttpResponse<String> api = get("/api", KEY);
    assertThat(api.statusCode()).isEqualTo(200);
    assertThat(api.body()).isEqualTo("[{\"url\":\"/api/v1\",\"version\":1}]");
    assertThat(post("/api/v1/tierdns/zones/reload", null).statusCode()).isEqualTo(401);
    assertThat(get("/health", null).body()).contains("UP");
    assertThat(context.findBean(HealthMonitorTask.class)).as("no background health monitor").isEmpty();
    ask("www.example.test.", Type.A, Transport.UDP);
    String metrics = get("/metrics", null).body();
    assertThat(metrics)
        .contains("wire_queries", "jvm_memory_used_bytes", "process_cpu_usage", "system_cpu_count")
        .doesNotContain("logback_events"); // docs/operations.md, "Health and metrics"
    // The wire layer's own counters (function counters), exported as Prometheus counters.
    assertThat(metrics)
        .containsPattern("(?m)^wire_queries_total\\{[^}]*transport=\"udp\"[^}]*} [1-9]")
        .containsPattern(
            "(?m)^wire_responses_total\\{[^}]*rcode=\"NOERROR\"[^}]*transport=\"udp\"[^}]*} [1-9]")
        .containsPattern("(?m)^wire_response_bytes_total\\{[^}]*transport=\"udp\"[^}]*} [1-9]");
  }

  @Test
  void noTurboFilterStandsBeforeTheLogLevelCheck() {
    // Logback asks turbo filters before a logger's level: one would run on each of the TRACE calls
    // dnsjava makes per compressed name (Micrometer's Logback binder installs one; it is off).
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    assertThat(logging.getTurboFilterList()).isEmpty();
  }

  private HttpResponse<String> get(String path, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(http.resolve(path)).GET();
    if (key != null) {
      b.header("X-API-Key", key);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(http.resolve(path)).POST(HttpRequest.BodyPublishers.noBody());
    if (key != null) {
      b.header("X-API-Key", key);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
