package io.tierdns.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tierdns.node.Cli;
import io.tierdns.node.ListenAddress;
import io.tierdns.node.NodeRuntime;
import io.tierdns.node.TestNodes;
import io.tierdns.wire.Transport;
import io.tierdns.wire.testing.RawDnsClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
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

/** The admin client commands against a real node's admin API and DNS, in this JVM. */
class AdminCommandTest {

  private static final String KEY = "test-key";
  @TempDir Path tmp;

  /** Exit code, stdout, stderr of one command. */
  record Result(int code, String out, String err) {}

  private static Result run(String api, String key, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of(args));
    if (api != null) {
      all.addAll(List.of("--api", api));
    }
    int code = AdminCommand.run(all, key == null ? Map.of() : Map.of("TIERDNS_API_KEY", key),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Message ask(InetSocketAddress dns, String name, int type) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    q.getHeader().setFlag(Flags.RD);
    return RawDnsClient.query(dns, q, Transport.UDP);
  }

  @Test
  void listsZonesShowsOneAndSetsAndDeletesRecords() throws Exception {
    Path zones = TestNodes.exampleZones(tmp, "example.test.zone", "lab.test.zone");
    try (ApplicationContext node = Cli.start(TestNodes.primaryWithAdmin(zones, KEY))) {
      String api = node.getBean(EmbeddedServer.class).getURI().toString();
      InetSocketAddress dns = node.getBean(NodeRuntime.class).boundAddresses().get(0);

      Result list = run(api, KEY, "zones");
      assertThat(list.code()).isZero();
      assertThat(list.out()).contains("ZONE", "example.test.", "lab.test.");
      assertThat(run(api, KEY, "zones", "--format", "json").out()).startsWith("[");

      Result set = run(api, KEY, "record", "set", "example.test", "cli", "A", "192.0.2.7", "192.0.2.8", "--ttl", "120");
      assertThat(set.err()).isEmpty();
      assertThat(set.code()).isZero();
      assertThat(set.out()).startsWith("done: example.test. serial ");
      Message answer = ask(dns, "cli.example.test.", Type.A);
      assertThat(answer.getSection(Section.ANSWER)).extracting(Record::rdataToString)
          .containsExactlyInAnyOrder("192.0.2.7", "192.0.2.8");
      assertThat(answer.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(120);

      assertThat(run(api, KEY, "zone", "show", "example.test.").out())
          .contains("cli.example.test. 120 IN A 192.0.2.7", "cli.example.test. 120 IN A 192.0.2.8");

      assertThat(run(api, KEY, "record", "delete", "example.test", "cli.example.test.", "a").code()).isZero();
      assertThat(ask(dns, "cli.example.test.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }
  }

  @Test
  void refusalsAndMistakesSayWhyWithExitCodes() throws Exception {
    Path zones = TestNodes.exampleZones(tmp, "example.test.zone");
    try (ApplicationContext node = Cli.start(TestNodes.primaryWithAdmin(zones, KEY))) {
      String api = node.getBean(EmbeddedServer.class).getURI().toString();

      Result bad = run(api, KEY, "record", "set", "example.test", "www", "A", "not-an-address");
      assertThat(bad.code()).isEqualTo(1);
      assertThat(bad.err()).contains("422");

      Result noKey = run(api, "wrong", "zones");
      assertThat(noKey.code()).isEqualTo(1);
      assertThat(noKey.err()).contains("401");

      assertThat(run(api, KEY, "record", "frobnicate").code()).isEqualTo(2);
      assertThat(run(api, KEY, "record", "set", "example.test", "www").err()).contains("needs ZONE NAME TYPE CONTENT");
      assertThat(run(api, KEY, "zones", "--ttl").code()).isEqualTo(2);
      assertThat(run(api, KEY, "cache", "flush", "--below").err()).contains("--below needs a NAME");
    }
    Result down = run("http://127.0.0.1:9", KEY, "zones");
    assertThat(down.code()).isEqualTo(1);
    assertThat(down.err()).contains("cannot reach the admin API");
  }

  @Test
  void flushesACachesNameOrEverything() throws Exception {
    Path zones = TestNodes.exampleZones(tmp, "example.test.zone");
    try (ApplicationContext primary =
            Cli.start(Map.of("tierdns.listen", List.of("127.0.0.1:0"), "tierdns.authoritative.zone-directory", zones.toString()));
        ApplicationContext cache =
            Cli.start(Map.of(
                "tierdns.listen", List.of("127.0.0.1:0"),
                "tierdns.cache.upstreams", List.of(ListenAddress.format(primary.getBean(NodeRuntime.class).boundAddresses().get(0))),
                "tierdns.admin.enabled", true,
                "tierdns.admin.port", -1,
                "tierdns.admin.api-key", KEY))) {
      String api = cache.getBean(EmbeddedServer.class).getURI().toString();
      InetSocketAddress dns = cache.getBean(NodeRuntime.class).boundAddresses().get(0);
      assertThat(ask(dns, "www.example.test.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);

      Result name = run(api, KEY, "cache", "flush", "example.test", "--below");
      assertThat(name.err()).isEmpty();
      assertThat(name.out()).isEqualTo("flushed 1 entries\n");

      assertThat(ask(dns, "www.example.test.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
      Result all = run(api, KEY, "cache", "flush");
      assertThat(all.code()).isZero();
      assertThat(all.out()).startsWith("flushed");
    }
  }
}
