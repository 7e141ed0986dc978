package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole hierarchy in this JVM on free loopback ports: primary → secondary → regional cache →
 * edge cache, subscriptions on. Bounded-staleness reads through every tier: max-staleness picks
 * cache or upstream, min-serial gives read-your-writes after an admin-API change.
 */
public class HierarchyTest {

  @TempDir Path tmp;
  private final TestNodes nodes = new TestNodes();

  @AfterEach
  void stop() {
    nodes.close();
  }

  @Test
  void boundedStalenessAndReadYourWritesHoldThroughEveryTier() throws Exception {
    TestHierarchy hierarchy = TestHierarchy.start(nodes, tmp, true);
    AdminApiClient primaryApi = hierarchy.primaryApi();
    AdminApiClient edgeApi = hierarchy.edgeApi();

    // warm every tier through the edge, then a bounded read within the window is a cache hit
    String first = "";
    for (int i = 0; i < 100 && !first.contains("192.0.2.80"); i++) { // bounded: the secondary's first AXFR
      Thread.sleep(100);
      first = edgeApi.get("/api/v1/tierdns/resolve?name=www.example.test.&type=A").body();
    }
    assertThat(first).contains("192.0.2.80");
    assertThat(edgeApi.get("/api/v1/tierdns/resolve?name=www.example.test.&type=A&max-staleness=5m").body())
        .contains("\"source\":\"cache\"").contains("\"node\":\"edge\"");
    assertThat(edgeApi.get("/api/v1/tierdns/resolve?name=www.example.test.&type=A&max-staleness=0s").body())
        .contains("\"source\":\"upstream\"");

    // a write through the admin API, then read-your-writes at the edge with its serial
    HttpResponse<String> patch =
        primaryApi.send("PATCH", "/api/v1/servers/localhost/zones/example.test.", TestHierarchy.CHANGE.formatted(222));
    assertThat(patch.statusCode()).isEqualTo(204);
    String serial = patch.headers().firstValue("X-Tierdns-Serial").orElseThrow();
    String ryw = edgeApi.get("/api/v1/tierdns/resolve?name=www.example.test.&type=A&min-serial=" + serial).body();
    assertThat(ryw).contains("192.0.2.222").contains("\"rcode\":\"NOERROR\"");
    // under up all nodes share the process: the primary's API reaches the others' caches by name
    assertThat(primaryApi.get("/api/v1/tierdns/nodes").body())
        .contains("\"node\":\"primary\"").contains("\"node\":\"secondary\"")
        .contains("\"node\":\"regional\"").contains("\"tier\":\"edge\"");
    assertThat(primaryApi.get("/api/v1/tierdns/cache/stats?node=edge").body()).contains("\"tier\":\"edge\"");
    assertThat(primaryApi.get("/api/v1/tierdns/secondary/zones?node=secondary").body())
        .contains("\"zone\":\"example.test.\"").contains("\"state\":");
    assertThat(primaryApi.get("/api/v1/tierdns/cache/stats").body()).contains("has no cache role").contains("edge");
    assertThat(primaryApi.get("/api/v1/tierdns/resolve?name=www.example.test.&type=A&node=edge&min-serial=" + serial).body())
        .contains("192.0.2.222");
    // a serial nobody has yet: the read fails and names the lag instead of answering old data
    String ahead = edgeApi.get("/api/v1/tierdns/resolve?name=www.example.test.&type=A&min-serial="
        + (Long.parseLong(serial) + 5)).body();
    assertThat(ahead).contains("SERVFAIL").contains("lags");
  }

  /** Ports free for both TCP and UDP on loopback right now. */
  public static int[] freePorts(int n) throws IOException {
    int[] ports = new int[n];
    for (int i = 0; i < n; i++) {
      while (true) {
        try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
          int port = tcp.getLocalPort();
          try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
            boolean taken = false;
            for (int j = 0; j < i; j++) {
              taken |= ports[j] == port;
            }
            if (!taken) {
              ports[i] = port;
              break;
            }
          } catch (IOException e) {
            // UDP side taken: try another
          }
        }
      }
    }
    return ports;
  }
}
