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
  void anUnknownKeyInAZoneBlockIsNamed() {
    assertThat(settingsError(Map.of("tierdns.authoritative.zones", List.of(Map.of("name", "a.test", "fiel", "x")))))
        .isEqualTo("unknown configuration key tierdns.authoritative.zones[0].fiel");
    assertThat(settingsError(Map.of("tierdns.authoritative.zone-defaults.notifi", List.of("127.0.0.1:53"))))
        .isEqualTo("unknown configuration key tierdns.authoritative.zone-defaults.notifi");
    assertThat(settingsError(Map.of("tierdns.authoritative.zone-defaults.update.polic", List.of())))
        .isEqualTo("unknown configuration key tierdns.authoritative.zone-defaults.update.polic");
  }

  @Test
  void zoneDefaultsAreReadFromFlattenedYaml() {
    Map<String, Object> props =
        Map.of(
            "tierdns.authoritative.zone-defaults.notify", List.of("127.0.0.1:5301", "127.0.0.1:5302"),
            "tierdns.authoritative.zone-defaults.allow-transfer", List.of("127.0.0.1/32"),
            "tierdns.authoritative.zone-defaults.update.policy",
                List.of(Map.of("key", "k", "grant", "zone", "types", List.of("A"))));
    try (ApplicationContext context =
        ApplicationContext.builder().properties(props).deduceEnvironment(false).banner(false).start()) {
      AuthoritativeSettings settings = AuthoritativeSettings.from(context.getEnvironment());
      assertThat(settings.defaults().notifyTo()).containsExactly("127.0.0.1:5301", "127.0.0.1:5302");
      assertThat(settings.defaults().allowTransfer()).containsExactly("127.0.0.1/32");
      assertThat(settings.defaults().update()).isPresent();
    }
  }

  private static String settingsError(Map<String, Object> props) {
    try (ApplicationContext context =
        ApplicationContext.builder().properties(props).deduceEnvironment(false).banner(false).start()) {
      AuthoritativeSettings.from(context.getEnvironment());
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }
}
