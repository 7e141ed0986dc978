package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tierdns.wire.Transport;
import io.tierdns.wire.testing.RawDnsClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Runs every {@code sh} example of {@code docs/admin-api.md}, in order, with the real {@code curl}
 * against a node on loopback, so the documented API and the served one cannot drift apart.
 */
class AdminApiDocTest {

  private static final String KEY = "doc-test-key";
  private static final Pattern SH_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);

  @TempDir Path tmp;
  private ApplicationContext context;
  private InetSocketAddress dns;
  private String api;

  @BeforeEach
  void start() throws Exception {
    context = Cli.start(TestNodes.primaryWithAdmin(TestNodes.exampleZones(tmp), KEY));
    dns = context.getBean(NodeRuntime.class).boundAddresses().get(0);
    api = context.getBean(EmbeddedServer.class).getURL().toString();
  }

  @AfterEach
  void stop() {
    context.close();
  }

  @Test
  void everyCurlExampleOfTheAdminApiDocRunsAsDocumented() throws Exception {
    String doc = Files.readString(ConfigurationExamplesTest.REPO.resolve("docs/admin-api.md"));
    List<String> blocks = new ArrayList<>();
    Matcher m = SH_BLOCK.matcher(doc);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(6);
    boolean patchChecked = false;
    for (String block : blocks) {
      String out = run(block);
      if (block.contains("zones/shop.test. \\\n  -d '{\"rrsets\": [\n")) {
        // The documented PATCH: after it, DNS serves the new address and the TXT record.
        assertThat(out).contains("204").containsIgnoringCase("X-Tierdns-Serial");
        assertThat(ask("www.shop.test.", Type.A).getSection(1)).extracting(Record::rdataToString).containsExactly("192.0.2.11");
        assertThat(ask("_acme-challenge.shop.test.", Type.TXT).getSection(1))
            .extracting(Record::rdataToString)
            .containsExactly("\"token-123\"");
        patchChecked = true;
      }
    }
    assertThat(patchChecked).as("the documented PATCH was found and checked over DNS").isTrue();
    // The last example deleted the zone.
    assertThat(ask("www.shop.test.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
  }

  private Message ask(String name, int type) throws Exception {
    return RawDnsClient.query(dns, Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)), Transport.UDP);
  }

  private String run(String script) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-e", "-o", "pipefail", "-c", script)
            .redirectErrorStream(true)
            .directory(tmp.toFile());
    builder.environment().put("TIERDNS_API_KEY", KEY);
    builder.environment().put("API", api.replaceAll("/$", ""));
    Process p = builder.start();
    p.getOutputStream().close();
    boolean done = p.waitFor(30, TimeUnit.SECONDS);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(done).as("finished: %s", script).isTrue();
    assertThat(p.exitValue()).as("exit status of\n%s\noutput:\n%s", script, out).isZero();
    return out;
  }
}
