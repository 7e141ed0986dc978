package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * The six nodes of {@code ./tierdns up} ({@link TestUp}): a zone created
 * through the admin API is served by both secondaries and an edge cache without a restart, and a
 * zone deleted through it is refused by the secondaries, with its journals gone.
 */
class UpZonesTest {

  private static final String ZONE = "fresh.test.";
  private static final String CREATE =
      "{\"name\":\"" + ZONE + "\",\"kind\":\"Native\",\"nameservers\":[\"ns1." + ZONE + "\"],"
          + "\"rrsets\":[{\"name\":\"www." + ZONE + "\",\"type\":\"A\",\"ttl\":300,"
          + "\"records\":[{\"content\":\"192.0.2.7\",\"disabled\":false}]}]}";

  @TempDir Path data;
  private final TestNodes nodes = new TestNodes();
  private TestUp up;

  @AfterEach
  void stop() {
    nodes.close();
  }

  @Test
  void aZoneCreatedThroughTheApiIsServedEverywhereAndADeletedOneIsRefusedByTheSecondaries() throws Exception {
    up = TestUp.start(nodes, data);
    AdminApiClient api = up.api();
    awaitRcode("secondary-2", "www.example.test.", Rcode.NOERROR); // bounded: the first AXFRs

    HttpResponse<String> created = api.send("POST", "/api/v1/servers/localhost/zones", CREATE);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    for (String node : List.of("secondary-1", "secondary-2", "edge-1")) {
      Message answer = awaitRcode(node, "www." + ZONE, Rcode.NOERROR);
      assertThat(addresses(answer)).as(node).containsExactly("192.0.2.7");
    }
    for (String secondary : List.of("secondary-1", "secondary-2")) {
      assertThat(data.resolve(secondary).resolve("journal").resolve("fresh.test.journal")).exists();
    }
    // the secondaries are followed by name, so a write can wait for them
    HttpResponse<String> patch = api.send("PATCH", "/api/v1/servers/localhost/zones/" + ZONE + "?wait=secondaries&timeout=10s",
        "{\"rrsets\":[{\"name\":\"www." + ZONE + "\",\"type\":\"A\",\"ttl\":300,\"changetype\":\"REPLACE\","
            + "\"records\":[{\"content\":\"192.0.2.8\"}]}]}");
    assertThat(patch.statusCode()).as(patch.body()).isEqualTo(204);
    String report = api.get("/api/v1/tierdns/zones/" + ZONE + "/propagation?serial=" + AdminApiClient.serialOf(patch)).body();
    assertThat(report).contains("\"secondary-1\"").contains("\"secondary-2\"").contains("\"edge-1\"")
        .doesNotContain("127.0.0.1:");

    HttpResponse<String> deleted = api.send("DELETE", "/api/v1/servers/localhost/zones/" + ZONE, null);
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
    for (String secondary : List.of("secondary-1", "secondary-2")) {
      awaitRcode(secondary, "www." + ZONE, Rcode.REFUSED);
      assertThat(data.resolve(secondary).resolve("journal").resolve("fresh.test.journal")).doesNotExist();
    }
    assertThat(addresses(query("edge-1", "www." + ZONE))).isEmpty();
    // what a restart of up would build: the primary's zone files no longer name it
    assertThat(UpLayout.zoneNames(data.resolve("primary").resolve("zones"))).doesNotContain("fresh.test");
    assertThat(query("secondary-1", "www.example.test.").getRcode()).isEqualTo(Rcode.NOERROR);
  }

  private Message awaitRcode(String node, String name, int rcode) throws Exception {
    Message answer = null;
    for (int i = 0; i < 200; i++) { // bounded: 10 s
      answer = query(node, name);
      if (answer.getRcode() == rcode) {
        return answer;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(node + " answers " + Rcode.string(answer.getRcode()) + " for " + name
        + ", not " + Rcode.string(rcode) + ", after 10 s");
  }

  private Message query(String node, String name) throws Exception {
    return up.query(node, name);
  }

  private static List<String> addresses(Message answer) {
    return answer.getSection(Section.ANSWER).stream()
        .filter(r -> r instanceof ARecord).map(r -> ((ARecord) r).getAddress().getHostAddress()).toList();
  }
}
