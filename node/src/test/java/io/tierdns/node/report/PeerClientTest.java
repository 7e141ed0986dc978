package io.tierdns.node.report;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.tierdns.node.HierarchyTest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin API client of the propagation report against WireMock stubs of slow, failing and
 * lying nodes: every poll completes within about the timeout with a serving answer or a status,
 * never hangs and never throws.
 */
class PeerClientTest {

  static final String ZONE = "example.test.";
  static final String SECONDARY_PATH = "/api/v1/tierdns/secondary/zones/example.test.";
  static final Duration TIMEOUT = Duration.ofMillis(300);

  private WireMockServer wiremock;
  private final PeerClient client = new PeerClient(TIMEOUT);

  @BeforeEach
  void start() {
    wiremock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    wiremock.start();
  }

  @AfterEach
  void stop() {
    wiremock.stop();
  }

  private PeerConfig secondary(String name) {
    return new PeerConfig(name, PeerNode.Role.SECONDARY, "regional", null, true, null,
        URI.create(wiremock.baseUrl() + "/"), "secret", null, List.of());
  }

  private PeerAnswer poll(PeerConfig peer) throws Exception {
    long start = System.nanoTime();
    PeerAnswer a = client.poll(peer, ZONE).get(5, TimeUnit.SECONDS);
    // bounded: the timeout plus the future's own margin, with room for a slow machine
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    return a;
  }

  @Test
  void aHealthySecondaryGivesItsSerialAndApplyTimeAndGetsTheKey() throws Exception {
    wiremock.stubFor(get(urlEqualTo(SECONDARY_PATH)).willReturn(okJson(
        "{\"zone\":\"example.test.\",\"serial\":2024050103,\"state\":\"serving\","
            + "\"lastTransfer\":{\"kind\":\"ixfr\",\"fromSerial\":2024050102,\"toSerial\":2024050103,"
            + "\"at\":\"2024-05-01T12:00:00.134Z\",\"duration\":\"PT0.004S\"}}")));
    assertThat(poll(secondary("s"))).isEqualTo(
        new PeerAnswer.Serving(2024050103L, Instant.parse("2024-05-01T12:00:00.134Z")));
    wiremock.verify(getRequestedFor(urlEqualTo(SECONDARY_PATH)).withHeader("X-API-Key", equalTo("secret")));
  }

  @Test
  void anApplyTimeOfAnotherSerialIsNotUsed() throws Exception {
    wiremock.stubFor(get(urlEqualTo(SECONDARY_PATH)).willReturn(okJson(
        "{\"serial\":9,\"lastTransfer\":{\"toSerial\":8,\"at\":\"2024-05-01T12:00:00Z\"}}")));
    assertThat(poll(secondary("s"))).isEqualTo(new PeerAnswer.Serving(9, null));
  }

  @Test
  void aSubscribedCacheBehindAnUpApiIsAskedForItsSubscriptionWithItsNodeName() throws Exception {
    String path = "/api/v1/tierdns/cache/subscriptions/example.test.?node=edge-1";
    wiremock.stubFor(get(urlEqualTo(path)).willReturn(okJson(
        "{\"zone\":\"example.test.\",\"tier\":\"edge\",\"serial\":12,\"lastResult\":\"incremental\"}")));
    PeerConfig edge = new PeerConfig("edge-1", PeerNode.Role.CACHE, "edge", "regional", true, null,
        URI.create(wiremock.baseUrl()), null, "edge-1", List.of());
    assertThat(poll(edge)).isEqualTo(new PeerAnswer.Serving(12, null));
  }

  @Test
  void aSlowNodeIsUnreachableAfterTheTimeoutInsteadOfHangingThePoll() throws Exception {
    wiremock.stubFor(get(urlEqualTo(SECONDARY_PATH)).willReturn(okJson("{\"serial\":1}").withFixedDelay(5_000)));
    assertThat(poll(secondary("slow"))).isEqualTo(new PeerAnswer.Failed("unreachable: no answer within 300 ms"));
  }

  @Test
  void aNodeThatDribblesItsBodyIsCutOffByTheTimeout() throws Exception {
    wiremock.stubFor(get(urlEqualTo(SECONDARY_PATH)).willReturn(okJson("{\"serial\":1, \"padding\":\"" + "x".repeat(200) + "\"}")
        .withChunkedDribbleDelay(20, 4_000)));
    assertThat(poll(secondary("dribble"))).isInstanceOf(PeerAnswer.Failed.class)
        .extracting(a -> ((PeerAnswer.Failed) a).status()).asString().startsWith("unreachable:");
  }

  @Test
  void aServerErrorIsAnErrorWithTheNodesMessage() throws Exception {
    wiremock.stubFor(get(urlEqualTo(SECONDARY_PATH)).willReturn(aResponse().withStatus(503)
        .withHeader("Content-Type", "application/json").withBody("{\"error\":\"shutting down\"}")));
    assertThat(poll(secondary("s"))).isEqualTo(new PeerAnswer.Failed("error: HTTP 503: shutting down"));
  }

  @Test
  void aNodeWithoutTheZoneIsAnError() throws Exception {
    wiremock.stubFor(get(urlEqualTo(SECONDARY_PATH)).willReturn(aResponse().withStatus(404)
        .withBody("{\"error\":\"zone example.test. is not a secondary zone here\"}")));
    assertThat(poll(secondary("s"))).isEqualTo(
        new PeerAnswer.Failed("error: HTTP 404: zone example.test. is not a secondary zone here"));
  }

  @Test
  void aRefusedConnectionIsUnreachable() throws Exception {
    int closed = HierarchyTest.freePorts(1)[0];
    PeerConfig gone = new PeerConfig("gone", PeerNode.Role.SECONDARY, "regional", null, true, null,
        URI.create("http://127.0.0.1:" + closed + "/"), null, null, List.of());
    assertThat(poll(gone)).isEqualTo(new PeerAnswer.Failed("unreachable: connection refused"));
  }

  @Test
  void aConnectionResetIsUnreachable() throws Exception {
    wiremock.stubFor(get(urlEqualTo(SECONDARY_PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    assertThat(((PeerAnswer.Failed) poll(secondary("s"))).status()).startsWith("unreachable:");
  }

  @Test
  void garbageInsteadOfJsonIsAnError() throws Exception {
    wiremock.stubFor(get(urlEqualTo(SECONDARY_PATH)).willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));
    assertThat(((PeerAnswer.Failed) poll(secondary("s"))).status()).matches("(unreachable|error): .*");
    wiremock.stubFor(get(urlEqualTo(SECONDARY_PATH)).willReturn(okJson("{\"serial\": 12")));
    assertThat(((PeerAnswer.Failed) poll(secondary("s"))).status()).startsWith("error: bad JSON");
    wiremock.stubFor(get(urlEqualTo(SECONDARY_PATH)).willReturn(okJson("[1,2,3]")));
    assertThat(poll(secondary("s"))).isEqualTo(new PeerAnswer.Failed("error: bad JSON: expected an object"));
  }

  @Test
  void aSerialThatIsNoSerialIsAnError() throws Exception {
    wiremock.stubFor(get(urlEqualTo(SECONDARY_PATH)).willReturn(okJson("{\"serial\":\"many\"}")));
    assertThat(poll(secondary("s"))).isEqualTo(new PeerAnswer.Failed("error: no numeric \"serial\" in the answer"));
    wiremock.stubFor(get(urlEqualTo(SECONDARY_PATH)).willReturn(okJson("{\"serial\":99999999999}")));
    assertThat(poll(secondary("s"))).isEqualTo(new PeerAnswer.Failed("error: serial 99999999999 is not a 32-bit serial"));
    wiremock.stubFor(get(urlEqualTo(SECONDARY_PATH)).willReturn(okJson("{\"serial\":-1,\"state\":\"loading\"}")));
    assertThat(poll(secondary("s"))).isEqualTo(new PeerAnswer.Failed("error: no version of the zone yet"));
    wiremock.stubFor(get(urlEqualTo(SECONDARY_PATH)).willReturn(okJson(
        "{\"serial\":5,\"lastTransfer\":{\"toSerial\":5,\"at\":\"yesterday\"}}")));
    assertThat(poll(secondary("s"))).isEqualTo(new PeerAnswer.Failed("error: bad lastTransfer.at 'yesterday'"));
  }

  @Test
  void manySlowNodesArePolledConcurrentlyWithinOneTimeout() throws Exception {
    wiremock.stubFor(get(urlEqualTo(SECONDARY_PATH)).willReturn(okJson("{\"serial\":1}").withFixedDelay(5_000)));
    long start = System.nanoTime();
    var futures = java.util.stream.IntStream.range(0, 8).mapToObj(i -> client.poll(secondary("s" + i), ZONE)).toList();
    for (var f : futures) {
      assertThat(f.get(5, TimeUnit.SECONDS)).isInstanceOf(PeerAnswer.Failed.class);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }
}
