package io.tierdns.authoritative.update;

import static io.tierdns.authoritative.update.UpdateTesting.ZONE;
import static io.tierdns.authoritative.update.UpdateTesting.example;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tierdns.authoritative.AuthoritativeHandler;
import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.update.UpdatePolicy.Grant;
import io.tierdns.authoritative.update.UpdatePolicy.Match;
import io.tierdns.wire.DnsServer;
import io.tierdns.wire.QueryHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Opcode;

/**
 * The real {@code nsupdate} (BIND 9) and {@code knsupdate} (Knot DNS) against an {@link
 * UpdateHandler} behind a {@link DnsServer} on loopback, checked with {@code dig}. Skipped when the
 * tools are missing, unless {@code CI=true}.
 */
class NsupdateEndToEndTest {

  static final String SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=";
  static final String KEY = "hmac-sha256:ddns-key:" + SECRET;

  ZoneRegistry registry;
  InMemoryZoneWriter writer;
  DnsServer server;
  ExecutorService updates;
  int port;

  @BeforeEach
  void start() {
    requireTools("nsupdate", "knsupdate", "dig");
    registry = new ZoneRegistry();
    registry.put(example());
    writer = new InMemoryZoneWriter(registry);
    Clock clock = Clock.systemUTC();
    UpdatePolicy policy =
        UpdatePolicy.of(
            new Grant(UpdateTesting.name("ddns-key."), Match.ZONE, null, Set.of()));
    updates = Executors.newSingleThreadExecutor();
    UpdateHandler update =
        new UpdateHandler(
            registry,
            writer,
            zone -> zone.equals(ZONE) ? Optional.of(policy) : Optional.empty(),
            UpdateKeys.of(Map.of(UpdateTesting.name("ddns-key."), UpdateKeys.tsig("hmac-sha256", "ddns-key", SECRET, clock))),
            clock,
            updates,
            null);
    AuthoritativeHandler query = new AuthoritativeHandler(registry);
    // The routing the node does: opcode UPDATE to the update handler, the rest to the zone lookup.
    QueryHandler routing =
        (q, ctx) -> q.getHeader().getOpcode() == Opcode.UPDATE ? update.handle(q, ctx) : query.handle(q, ctx);
    server = new DnsServer(List.of(new InetSocketAddress("127.0.0.1", 0)), routing);
    server.start();
    port = server.boundAddresses().get(0).getPort();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (updates != null) {
      updates.shutdownNow();
    }
  }

  @Test
  void nsupdateWithTheKeyAddsARecordThatDigThenSees() throws Exception {
    Result r =
        run(
            List.of("nsupdate", "-y", KEY),
            script("update add new.example.test. 300 A 192.0.2.50", "update delete www.example.test. TXT"));
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(dig("new.example.test.", "A")).isEqualTo("192.0.2.50");
    assertThat(dig("www.example.test.", "TXT")).isEmpty();
    assertThat(dig("example.test.", "SOA")).contains(" 2024010102 ");
  }

  @Test
  void nsupdateOverTcpDeletesARecordAndTheNextUpdateSeesIt() throws Exception {
    Result first =
        run(List.of("nsupdate", "-v", "-y", KEY), script("update delete www.example.test. A 192.0.2.3"));
    assertThat(first.exit()).as(first.output()).isZero();
    assertThat(dig("www.example.test.", "A")).isEqualTo("192.0.2.4");
    Result second =
        run(
            List.of("nsupdate", "-v", "-y", KEY),
            script("prereq yxrrset www.example.test. A 192.0.2.4", "update add new.example.test. 300 A 192.0.2.50"));
    assertThat(second.exit()).as(second.output()).isZero();
    assertThat(dig("new.example.test.", "A")).isEqualTo("192.0.2.50");
    assertThat(writer.commits()).hasSize(2);
  }

  @Test
  void knsupdateWithTheKeyAddsARecordThatDigThenSees() throws Exception {
    Result r =
        run(
            List.of("knsupdate", "-y", KEY),
            script("update add knot.example.test. 300 TXT \"from knsupdate\""));
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(dig("knot.example.test.", "TXT")).isEqualTo("\"from knsupdate\"");
  }

  @Test
  void aWrongKeyIsNotauthBadkeyAndNothingChanges() throws Exception {
    Result r =
        run(
            List.of("nsupdate", "-y", "hmac-sha256:wrong-key:" + SECRET),
            script("update add new.example.test. 300 A 192.0.2.50"));
    assertThat(r.exit()).isNotZero();
    assertThat(r.output()).contains("NOTAUTH").contains("BADKEY");
    assertUnchanged();
  }

  @Test
  void aWrongSecretIsNotauthBadsigAndNothingChanges() throws Exception {
    Result r =
        run(
            List.of("nsupdate", "-y", "hmac-sha256:ddns-key:d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC0xMjM0NTY="),
            script("update add new.example.test. 300 A 192.0.2.50"));
    assertThat(r.exit()).isNotZero();
    assertThat(r.output()).contains("NOTAUTH").contains("BADSIG");
    assertUnchanged();
  }

  @Test
  void aStalePrerequisiteIsNxrrsetAndNothingChanges() throws Exception {
    Result r =
        run(
            List.of("nsupdate", "-y", KEY),
            script(
                "prereq yxrrset www.example.test. A 192.0.2.3",
                "update add new.example.test. 300 A 192.0.2.50"));
    assertThat(r.exit()).isNotZero();
    assertThat(r.output()).contains("NXRRSET");
    assertUnchanged();
  }

  @Test
  void aRecordOutsideTheZoneIsNotzone() throws Exception {
    Result r =
        run(
            List.of("nsupdate", "-y", KEY),
            script("update add www.other.test. 300 A 192.0.2.50"));
    assertThat(r.exit()).isNotZero();
    assertThat(r.output()).contains("NOTZONE");
    assertUnchanged();
  }

  @Test
  void anUnsignedNsupdateIsRefused() throws Exception {
    Result r = run(List.of("nsupdate"), script("update add new.example.test. 300 A 192.0.2.50"));
    assertThat(r.exit()).isNotZero();
    assertThat(r.output()).contains("REFUSED");
    assertUnchanged();
  }

  @Test
  void knsupdateWithAWrongKeyChangesNothing() throws Exception {
    Result r =
        run(
            List.of("knsupdate", "-y", "hmac-sha256:wrong-key:" + SECRET),
            script("update add knot.example.test. 300 TXT \"x\""));
    assertThat(r.exit()).as(r.output()).isNotZero();
    // knsupdate prints the TSIG error as the status: "status: BADKEY" (rcode NOTAUTH, error 17).
    assertThat(r.output()).contains("BADKEY");
    assertUnchanged();
  }

  // ---- helpers ----

  private void assertUnchanged() throws Exception {
    assertThat(dig("new.example.test.", "A")).isEmpty();
    assertThat(dig("knot.example.test.", "TXT")).isEmpty();
    ZoneSnapshot now = registry.zone(ZONE).orElseThrow();
    assertThat(now.serial()).isEqualTo(2024010101L);
    assertThat(writer.commits()).isEmpty();
  }

  private String script(String... lines) {
    List<String> all = new ArrayList<>();
    all.add("server 127.0.0.1 " + port);
    all.add("zone " + ZONE);
    all.addAll(List.of(lines));
    all.add("send");
    all.add("quit");
    return String.join("\n", all) + "\n";
  }

  private String dig(String name, String type) throws Exception {
    Result r = run(List.of("dig", "@127.0.0.1", "-p", String.valueOf(port), "+short", "+time=2", "+tries=1", name, type), "");
    assertThat(r.exit()).as(r.output()).isZero();
    return r.output().trim();
  }

  record Result(int exit, String output) {}

  private static Result run(List<String> command, String stdin) throws Exception {
    Path out = Files.createTempFile("nsupdate", ".out");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(command + " did not finish: " + Files.readString(out));
      }
      return new Result(p.exitValue(), Files.readString(out));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static void requireTools(String... tools) {
    for (String tool : tools) {
      boolean found = false;
      for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
        if (Files.isExecutable(Path.of(dir, tool))) {
          found = true;
          break;
        }
      }
      if (!found && "true".equals(System.getenv("CI"))) {
        throw new AssertionError(tool + " is not installed (bind9-utils, knot-dnsutils)");
      }
      assumeTrue(found, tool + " is not installed");
    }
  }

}
