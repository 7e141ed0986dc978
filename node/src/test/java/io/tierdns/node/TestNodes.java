package io.tierdns.node;

import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tierdns nodes one test starts in this JVM: {@link #start} starts a node, {@link #close} (from
 * the test's {@code @AfterEach}) stops them all, the last started first, so caches and secondaries
 * go before their upstreams. Also the zone files and node properties the node tests share.
 */
public final class TestNodes implements AutoCloseable {

  private final List<ApplicationContext> started = new ArrayList<>();

  /** Starts a node with these properties ({@link Cli#start}); {@link #close} stops it. */
  public ApplicationContext start(Map<String, Object> props) {
    ApplicationContext context = Cli.start(props);
    started.add(context);
    return context;
  }

  /** The nodes started so far, in the order they were started. */
  public List<ApplicationContext> started() {
    return Collections.unmodifiableList(started);
  }

  /** Stops every node started, the last one first. */
  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
  }

  /**
   * A zone directory {@code dir/zones} holding copies of these files of the repository's
   * {@code examples/zones} ({@code example.test.zone} when none are named).
   */
  public static Path exampleZones(Path dir, String... files) throws IOException {
    Path zones = Files.createDirectories(dir.resolve("zones"));
    Path examples = ConfigurationExamplesTest.REPO.resolve("examples/zones");
    for (String f : files.length == 0 ? new String[] {"example.test.zone"} : files) {
      Files.copy(examples.resolve(f), zones.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    return zones;
  }

  /**
   * The properties of a primary serving {@code zones} on a free loopback port (127.0.0.1:0) with the
   * admin API on the HTTP server's port and this API key; a mutable map, so a test can add more.
   */
  public static Map<String, Object> primaryWithAdmin(Path zones, String apiKey) {
    return new HashMap<>(Map.of(
        "tierdns.listen", List.of("127.0.0.1:0"),
        "tierdns.authoritative.zone-directory", zones.toString(),
        "tierdns.admin.enabled", true,
        "tierdns.admin.port", -1,
        "tierdns.admin.api-key", apiKey));
  }
}
