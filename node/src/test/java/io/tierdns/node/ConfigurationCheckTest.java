package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigurationCheckTest {

  private static List<String> problems(Map<String, Object> props) {
    try (ApplicationContext context =
        ApplicationContext.builder().properties(props).deduceEnvironment(false).banner(false).start()) {
      return ConfigurationCheck.unknownKeys(context.getEnvironment());
    }
  }

  @Test
  void aMisspeltKeyIsNamed() {
    assertThat(problems(Map.of("tierdns.wire.tcp-idle-timout", "5s")))
        .containsExactly("unknown configuration key tierdns.wire.tcp-idle-timout");
    assertThat(problems(Map.of("tierdns.lisen", List.of("127.0.0.1:1"))))
        .containsExactly("unknown configuration key tierdns.lisen");
  }

  @Test
  void knownKeysPass() {
    assertThat(
            problems(
                Map.of(
                    "tierdns.listen", List.of("127.0.0.1:1"),
                    "tierdns.wire.udp-payload-size", 1400,
                    "tierdns.authoritative.zone-directory", "z",
                    "tierdns.admin.api-key", "k")))
        .isEmpty();
  }

  @Test
  void anUnknownKeyInAZoneEntryIsNamed() {
    assertThat(
            problems(
                Map.of(
                    "tierdns.authoritative.zones",
                    List.of(Map.of("name", "a.test", "file", "a.zone", "fiel", "x")))))
        .containsExactly("unknown configuration key tierdns.authoritative.zones[0].fiel");
  }
}
