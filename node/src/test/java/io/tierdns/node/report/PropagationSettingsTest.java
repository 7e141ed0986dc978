package io.tierdns.node.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.yaml.YamlPropertySourceLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tierdns.propagation}: peers of other processes, read from YAML as a node reads them. */
class PropagationSettingsTest {

  private static PropagationSettings load(String yaml) {
    Map<String, Object> props;
    try {
      props = new YamlPropertySourceLoader().read("test", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    try (ApplicationContext c = ApplicationContext.builder().propertySources(PropertySource.of("test", props))
        .deduceEnvironment(false).banner(false).start()) {
      return PropagationSettings.from(c.getEnvironment());
    }
  }

  @Test
  void peersAreReadWithTheirProbe() {
    PropagationSettings s = load("""
        tierdns:
          propagation:
            request-timeout: 300ms
            peers:
              - {name: s1, role: secondary, dns: "127.0.0.1:5301", admin: "http://127.0.0.1:8054", api-key: k}
              - {name: bind, role: secondary, dns: "127.0.0.1:5399", zones: [example.test]}
              - {name: edge, role: cache, tier: edge, upstream: s1, subscribed: true, admin: "http://h:1", admin-node: edge-1}
              - {name: resolver, role: cache}
        """);
    assertThat(s.requestTimeout()).isEqualTo(Duration.ofMillis(300));
    assertThat(s.clockSkew()).isEqualTo(PropagationSettings.DEFAULT_CLOCK_SKEW);
    assertThat(s.peers()).extracting(PeerConfig::name).containsExactly("s1", "bind", "edge", "resolver");
    assertThat(s.peers()).extracting(PeerConfig::probe).containsExactly(
        PeerConfig.Probe.HTTP, PeerConfig.Probe.DNS, PeerConfig.Probe.HTTP, PeerConfig.Probe.NONE);
    assertThat(s.peers().get(0).apiKey()).isEqualTo("k");
    assertThat(s.peers().get(1).serves("example.test.")).isTrue();
    assertThat(s.peers().get(1).serves("other.test.")).isFalse();
    assertThat(s.peers().get(2).node()).isEqualTo(new PeerNode("edge", PeerNode.Role.CACHE, "edge", "s1", true));
    assertThat(s.peers().get(2).adminNode()).isEqualTo("edge-1");
    assertThat(s.peers().get(3).tier()).isEqualTo("local");
  }

  @Test
  void mistakesNameTheKey() {
    assertThatThrownBy(() -> PropagationSettings.peers(List.of(Map.of("name", "x", "role", "primary"))))
        .hasMessageContaining("tierdns.propagation.peers[x]: role 'primary'");
    assertThatThrownBy(() -> PropagationSettings.peers(List.of(Map.of("name", "x", "role", "secondary"))))
        .hasMessageContaining("needs 'admin' (tierdns) or 'dns'");
    assertThatThrownBy(() -> PropagationSettings.peers(List.of(Map.of("name", "x", "role", "cache", "admin", "ftp://h"))))
        .hasMessageContaining("expected http://HOST:PORT");
    assertThatThrownBy(() -> PropagationSettings.peers(List.of(Map.of("name", "x", "role", "cache", "colour", "red"))))
        .hasMessageContaining("unknown key 'colour'");
    assertThatThrownBy(() -> PropagationSettings.peers(List.of(Map.of("name", "x", "role", "cache"),
        Map.of("name", "x", "role", "cache")))).hasMessageContaining("used twice");
    assertThatThrownBy(() -> PropagationSettings.peers(List.of(Map.of("name", "x", "role", "secondary", "dns", "nowhere"))))
        .hasMessageContaining("dns 'nowhere'");
    assertThatThrownBy(() -> load("tierdns:\n  propagation:\n    request-timeout: 0s\n"))
        .hasMessageContaining("request-timeout");
  }
}
