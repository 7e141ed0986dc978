package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.tierdns.node.cache.CacheRole;
import io.tierdns.node.secondary.SecondaryRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every topology under examples/topology/ loads as nodes that a node would accept. */
class TopologyTest {

  @TempDir Path tmp;

  @Test
  void everyExampleTopologyLoadsAsValidNodes() throws Exception {
    List<Path> files;
    try (Stream<Path> list = Files.list(ConfigurationExamplesTest.REPO.resolve("examples/topology"))) {
      files = list.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      Map<String, Map<String, Object>> nodes = Topology.load(file, tmp);
      assertThat(nodes).as(file.toString()).isNotEmpty();
      for (Map.Entry<String, Map<String, Object>> node : nodes.entrySet()) {
        assertThat(node.getValue()).containsEntry("tierdns.node-name", node.getKey());
        try (ApplicationContext context =
            ApplicationContext.builder().properties(node.getValue()).deduceEnvironment(false).banner(false).start()) {
          assertThat(ConfigurationCheck.unknownKeys(context.getEnvironment())).as(file + " " + node.getKey()).isEmpty();
          context.getBean(NodeConfiguration.class).getListen().forEach(ListenAddress::parse);
          AuthoritativeSettings.from(context.getEnvironment());
          context.getBean(SecondaryRole.class).zones();
          context.getBean(CacheRole.class).subscriptions();
          context.getBean(CacheRole.class).policy();
        }
      }
    }
  }

  @Test
  void theSmallTopologyKeepsItsOrderAndSubstitutesTheDataDirectory() {
    Map<String, Map<String, Object>> nodes =
        Topology.load(ConfigurationExamplesTest.REPO.resolve("examples/topology/small.yml"), tmp);
    assertThat(nodes.keySet()).containsExactly("primary", "secondary", "edge");
    assertThat(nodes.get("primary"))
        .containsEntry("tierdns.authoritative.zone-directory", tmp + "/primary/zones");
  }

  @Test
  void aTopologyWithOtherTopLevelKeysIsRefused() throws Exception {
    Path bad = Files.writeString(tmp.resolve("bad.yml"), "tierdns:\n  listen: [127.0.0.1:1]\n");
    assertThatThrownBy(() -> Topology.load(bad, tmp)).hasMessageContaining("only nodes:");
  }
}
