package io.tierdns.authoritative.transfer;

import static io.tierdns.authoritative.transfer.TransferTestZones.ZONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.acl.TransferAcl;
import io.tierdns.authoritative.acl.TsigKeyConfig;
import io.tierdns.authoritative.acl.TsigKeyring;
import io.tierdns.wire.DnsServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * BIND's dig (and Knot's kdig) verify the TSIG of every message of a multi-message AXFR from
 * tierdns. Skipped when the tool is not installed (unless CI=true).
 */
class TierdnsDigAxfrTsigTest {

  static final String SECRET = "Zm9vYmFyLWZvb2Jhci1mb29iYXItZm9vYmFyLTEyMzQ=";

  static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  @Test
  void digVerifiesEveryMessageOfASignedAxfrOfThousandsOfRecords() throws Exception {
    Path dig = Path.of("/usr/bin/dig");
    Path kdig = Path.of("/usr/bin/kdig");
    if (!"true".equals(System.getenv("CI"))) {
      assumeTrue(Files.isExecutable(dig), "dig is not installed");
    }
    ZoneSnapshot zone = TransferTestZones.zone(7, 4000);
    ZoneRegistry registry = new ZoneRegistry();
    registry.put(zone);
    TsigKeyring keyring = TsigKeyring.of(List.of(new TsigKeyConfig("xfr-key", SECRET)));
    try (DnsServer server =
        new DnsServer(
            List.of(new InetSocketAddress("127.0.0.1", 0)),
            new AuthoritativeHandler(
                registry, null, null, z -> TransferAcl.parse("key:xfr-key"), keyring))) {
      server.start();
      int port = server.boundAddresses().get(0).getPort();
      String out =
          run(dig.toString(), "@127.0.0.1", "-p", String.valueOf(port), ZONE.toString(), "AXFR",
              "-y", "hmac-sha256:xfr-key:" + SECRET, "+time=10", "+tries=1");
      Matcher m = Pattern.compile("XFR size: (\\d+) records \\(messages (\\d+),").matcher(out);
      assertThat(m.find()).as(out.lines().limit(5).toList() + " ... " + out.lines().skip(Math.max(0, out.lines().count() - 8)).toList()).isTrue();
      assertThat(Integer.parseInt(m.group(1))).isEqualTo(zone.size() + 1);
      assertThat(Integer.parseInt(m.group(2))).isGreaterThan(5);
      assertThat(out).doesNotContainIgnoringCase("verify").doesNotContain("failed");
      // every message carries the TSIG: dig prints one TSIG line per message
      long tsigLines = out.lines().filter(l -> l.contains("\tANY\tTSIG\t")).count();
      assertThat(tsigLines).isEqualTo(Long.parseLong(m.group(2)));

      String wrong =
          run(dig.toString(), "@127.0.0.1", "-p", String.valueOf(port), ZONE.toString(), "AXFR",
              "+time=5", "+tries=1");
      assertThat(wrong).contains("Transfer failed");

      if (Files.isExecutable(kdig)) {
        String k =
            run(kdig.toString(), "@127.0.0.1", "-p", String.valueOf(port), ZONE.toString(), "AXFR",
                "-y", "hmac-sha256:xfr-key:" + SECRET);
        assertThat(k).contains("Received").doesNotContain("failed").doesNotContain("BADSIG");
      }
    }
  }
}
