package io.tierdns.node;

import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/**
 * The run {@code ./tierdns} records its class-data-sharing archive with
 * ({@code -XX:ArchiveClassesAtExit}, docs/configuration.md): the hierarchy of {@code up} with a
 * zone of its own, in a temporary directory and on free loopback ports, asked what operators ask
 * (UDP and TCP queries to every tier, an AXFR, the admin API's reads and an edit that propagates),
 * then closed. Every class loaded on the way is in the archive, so a node started from it loads
 * them from the archive instead of the jar. Exits 0 when every step answered, else 1 (the launcher
 * then keeps no archive); bounded by {@link #DEADLINE}.
 */
public final class ClassArchiveTraining {

  static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String ZONE = "train.test.";
  private static final String API_KEY = "class-archive-training";

  private ClassArchiveTraining() {}

  public static void main(String[] args) {
    Cli.withoutNettyLeakSampling();
    Cli.withCachedUdpReadBuffers();
    int code;
    try {
      code = train(Instant.now().plus(DEADLINE));
    } catch (Exception e) {
      System.err.println("tierdns: class-archive training failed: " + e);
      code = 1;
    }
    // The JVM writes the archive as it exits.
    System.exit(code);
  }

  /**
   * {@link #trainOnce}, again with other ports when a port picked free was taken before the node
   * bound it (another process's connection can take any port of the ephemeral range meanwhile).
   */
  static int train(Instant deadline) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return trainOnce(deadline);
      } catch (RuntimeException e) {
        if (attempt == 3 || !portTaken(e)) {
          throw e;
        }
      }
    }
  }

  private static boolean portTaken(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  private static int trainOnce(Instant deadline) throws Exception {
    Path data = Files.createTempDirectory("tierdns-class-archive");
    List<ApplicationContext> started = new ArrayList<>();
    try {
      Path zones = Files.createDirectories(data.resolve("primary").resolve("zones"));
      Files.writeString(zones.resolve(ZONE + "zone"), zoneFile());
      Map<String, String> ports = new LinkedHashMap<>();
      Map<String, Map<String, Object>> nodes =
          UpLayout.nodes(data, data, API_KEY, new PrintStream(OutputStream.nullOutputStream()));
      int admin = freePort();
      for (Map<String, Object> props : nodes.values()) {
        // every DNS address of the default hierarchy moved to a free loopback port
        props.replaceAll((k, v) -> Topology.mapStrings(
            v, s -> s.startsWith("127.0.0.1:") ? ports.computeIfAbsent(s, a -> "127.0.0.1:" + freePort()) : s));
        if (props.containsKey("tierdns.admin.port")) {
          props.put("tierdns.admin.port", admin);
        }
      }
      for (Map<String, Object> props : nodes.values()) {
        started.add(Cli.start(props));
      }
      Name zone = Name.fromString(ZONE);
      for (String tier : ports.values()) {
        awaitAnswer(tier, zone, Type.SOA, deadline);
      }
      for (String tier : ports.values()) {
        ask(tier, Name.fromString("www." + ZONE), Type.A, false);
        ask(tier, Name.fromString("www." + ZONE), Type.AAAA, true);
        ask(tier, Name.fromString("nothing." + ZONE), Type.A, false);
        ask(tier, Name.fromString("x.apps." + ZONE), Type.A, false);
      }
      String primary = ports.get(UpLayout.PRIMARY_LISTEN);
      ZoneTransferIn axfr = ZoneTransferIn.newAXFR(zone, "127.0.0.1", port(primary), null);
      axfr.setTimeout(Duration.ofSeconds(10));
      axfr.run();

      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String base = "http://127.0.0.1:" + admin + "/api/v1/";
      request(http, "GET", base + "servers/localhost/zones", null);
      request(http, "GET", base + "servers/localhost/zones/" + ZONE, null);
      request(http, "PATCH", base + "servers/localhost/zones/" + ZONE + "?wait=all&timeout=20s",
          "{\"rrsets\": [{\"name\": \"www." + ZONE + "\", \"type\": \"A\", \"ttl\": 300,"
              + " \"changetype\": \"REPLACE\", \"records\": [{\"content\": \"192.0.2.81\"}]}]}");
      request(http, "GET", base + "tierdns/zones/" + ZONE + "/propagation", null);
      request(http, "GET", base + "tierdns/zones/" + ZONE, null);
      for (String tier : ports.values()) {
        ask(tier, Name.fromString("www." + ZONE), Type.A, false);
      }
      return 0;
    } finally {
      for (int i = started.size() - 1; i >= 0; i--) {
        started.get(i).close();
      }
      deleteRecursively(data);
    }
  }

  private static String zoneFile() {
    return String.join("\n",
        "$ORIGIN " + ZONE,
        "$TTL 300",
        "@ IN SOA ns1 hostmaster 1 3600 600 604800 60",
        "  IN NS ns1",
        "  IN MX 10 mail",
        "  IN TXT \"v=spf1 mx -all\"",
        "ns1 IN A 192.0.2.1",
        "mail IN A 192.0.2.25",
        "www IN A 192.0.2.80",
        "    IN AAAA 2001:db8::80",
        "api IN CNAME www",
        "*.apps IN A 192.0.2.100",
        "sub IN NS ns.sub",
        "ns.sub IN A 192.0.2.53",
        "");
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  private static void awaitAnswer(String address, Name name, int type, Instant deadline) throws Exception {
    while (true) {
      try {
        if (ask(address, name, type, false).getRcode() == Rcode.NOERROR) {
          return;
        }
      } catch (IOException e) {
        // not listening or not serving yet
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(address + " did not answer " + name + " " + Type.string(type));
      }
      Thread.sleep(50);
    }
  }

  private static Message ask(String address, Name name, int type, boolean tcp) throws IOException {
    SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
    resolver.setPort(port(address));
    resolver.setTCP(tcp);
    resolver.setTimeout(Duration.ofSeconds(2));
    return resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
  }

  private static void request(HttpClient http, String method, String uri, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri))
        .timeout(Duration.ofSeconds(30))
        .header("X-API-Key", API_KEY)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + uri + ": HTTP " + r.statusCode() + " " + r.body());
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
