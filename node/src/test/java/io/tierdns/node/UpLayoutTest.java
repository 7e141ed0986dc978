package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpLayoutTest {

  @TempDir Path tmp;

  private Path home() throws Exception {
    Path zones = Files.createDirectories(tmp.resolve("home/examples/zones"));
    Files.writeString(zones.resolve("a.test.zone"), "; zone\n");
    return tmp.resolve("home");
  }

  @Test
  void firstStartSeedsZonesAndGeneratesAPrintedKey() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Path data = tmp.resolve("data");
    Map<String, Object> props = UpLayout.prepare(home(), data, null, new PrintStream(out, true));
    String key = Files.readString(data.resolve("api-key")).trim();
    assertThat(key).hasSize(48);
    assertThat(out.toString()).contains(key);
    assertThat(props).containsEntry("tierdns.admin.api-key", key).containsEntry("tierdns.admin.port", 8053);
    assertThat(data.resolve("primary/zones/a.test.zone")).exists();
  }

  @Test
  void laterStartsKeepTheDataAndTheKey() throws Exception {
    Path data = tmp.resolve("data");
    Path home = home();
    UpLayout.prepare(home, data, null, new PrintStream(new ByteArrayOutputStream()));
    Files.writeString(data.resolve("primary/zones/a.test.zone"), "; edited\n");
    String key = Files.readString(data.resolve("api-key")).trim();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Map<String, Object> props = UpLayout.prepare(home, data, null, new PrintStream(out, true));
    assertThat(props).containsEntry("tierdns.admin.api-key", key);
    assertThat(out.toString()).isEmpty();
    assertThat(Files.readString(data.resolve("primary/zones/a.test.zone"))).isEqualTo("; edited\n");
  }

  @Test
  void theEnvironmentKeyWinsAndIsNotWritten() throws Exception {
    Path data = tmp.resolve("data");
    Map<String, Object> props =
        UpLayout.prepare(home(), data, "secret", new PrintStream(new ByteArrayOutputStream()));
    assertThat(props).containsEntry("tierdns.admin.api-key", "secret");
    assertThat(data.resolve("api-key")).doesNotExist();
  }

  @Test
  void theHierarchyChainsEdgesToTheRegionalCacheToTheSecondariesToThePrimary() throws Exception {
    Map<String, Map<String, Object>> nodes =
        UpLayout.nodes(home(), tmp.resolve("data"), "k", new PrintStream(new ByteArrayOutputStream()));
    assertThat(nodes.keySet()).containsExactly("primary", "secondary-1", "secondary-2", "regional", "edge-1", "edge-2");
    assertThat(nodes.get("primary"))
        .containsEntry("tierdns.listen", java.util.List.of("127.0.0.1:5300"))
        .containsEntry("tierdns.authoritative.zone-defaults.notify", java.util.List.of("127.0.0.1:5301", "127.0.0.1:5302"));
    assertThat(nodes.get("secondary-1")).containsEntry("tierdns.listen", java.util.List.of("127.0.0.1:5301"));
    assertThat(nodes.get("secondary-1").get("tierdns.secondary.zones").toString())
        .contains("a.test").contains("127.0.0.1:5300").contains("127.0.0.1:5310");
    assertThat(nodes.get("regional"))
        .containsEntry("tierdns.listen", java.util.List.of("127.0.0.1:5310"))
        .containsEntry("tierdns.cache.upstreams", java.util.List.of("127.0.0.1:5301", "127.0.0.1:5302"));
    assertThat(nodes.get("regional").get("tierdns.cache.subscriptions").toString()).contains("127.0.0.1:5320", "127.0.0.1:5321");
    assertThat(nodes.get("edge-1"))
        .containsEntry("tierdns.listen", java.util.List.of("127.0.0.1:5320"))
        .containsEntry("tierdns.cache.tier", "edge")
        .containsEntry("tierdns.cache.upstreams", java.util.List.of("127.0.0.1:5310"));
    assertThat(nodes.get("edge-2")).containsEntry("tierdns.listen", java.util.List.of("127.0.0.1:5321"));
  }
}
