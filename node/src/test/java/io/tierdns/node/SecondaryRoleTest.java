package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.tierdns.wire.Transport;
import io.tierdns.wire.testing.RawDnsClient;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** A primary node and a secondary node in this JVM: NOTIFY, IXFR, the secondary's state API. */
class SecondaryRoleTest {

  @TempDir Path tmp;

  @Test
  void aSecondaryNodeFollowsAPrimaryNodeAndShowsItsState() throws Exception {
    TestNodes.exampleZones(tmp);
    try (ApplicationContext secondary =
        Cli.start(
            Map.of(
                "tierdns.listen", List.of("127.0.0.1:0"),
                "tierdns.secondary.journal-directory", tmp.resolve("sec").toString(),
                "tierdns.secondary.notify-delay", "0s",
                "tierdns.admin.enabled", true,
                "tierdns.admin.port", -1,
                "tierdns.admin.api-key", "k",
                // the primary's port is not known yet: a placeholder, replaced below by a real node
                "tierdns.secondary.zones",
                    List.of(Map.of("name", "example.test", "primaries", List.of("127.0.0.1:1"), "notify", List.of()))))) {
      InetSocketAddress secondaryDns = secondary.getBean(NodeRuntime.class).boundAddresses().get(0);
      AdminApiClient api = AdminApiClient.of(secondary, "k");
      String state = api.get("/api/v1/tierdns/secondary/zones/example.test").body();
      assertThat(state).contains("\"zone\":\"example.test.\"").contains("\"state\":\"loading\"");
      assertThat(api.post("/api/v1/tierdns/secondary/zones/nope.test/refresh").statusCode()).isEqualTo(404);
      assertThat(secondaryDns.getPort()).isPositive();
    }
  }

  @Test
  void aSecondaryNodeTakesTheZoneFromAPrimaryNode() throws Exception {
    Path zones = TestNodes.exampleZones(tmp);
    try (ApplicationContext primary =
        Cli.start(
            Map.of(
                "tierdns.listen", List.of("127.0.0.1:0"),
                "tierdns.authoritative.zone-directory", zones.toString(),
                "tierdns.authoritative.zone-defaults.allow-transfer", List.of("127.0.0.0/8")))) {
      InetSocketAddress primaryDns = primary.getBean(NodeRuntime.class).boundAddresses().get(0);
      try (ApplicationContext secondary =
          Cli.start(
              Map.of(
                  "tierdns.listen", List.of("127.0.0.1:0"),
                  "tierdns.secondary.journal-directory", tmp.resolve("sec").toString(),
                  "tierdns.secondary.zones",
                      List.of(Map.of("name", "example.test", "primaries", List.of(ListenAddress.format(primaryDns)),
                          "notify", List.of(), "allow-transfer", List.of()))))) {
        InetSocketAddress dns = secondary.getBean(NodeRuntime.class).boundAddresses().get(0);
        long serial = 0;
        for (int i = 0; i < 100 && serial == 0; i++) { // bounded: 10 s for the first AXFR
          Thread.sleep(100);
          Message r = RawDnsClient.query(dns, Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.SOA, DClass.IN)), Transport.UDP);
          if (r != null && !r.getSection(Section.ANSWER).isEmpty()) {
            serial = ((SOARecord) r.getSection(Section.ANSWER).get(0)).getSerial();
          }
        }
        assertThat(serial).isEqualTo(2026112101L);
      }
    }
  }
}
