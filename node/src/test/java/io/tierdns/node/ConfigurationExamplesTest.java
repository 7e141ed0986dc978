package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.yaml.YamlPropertySourceLoader;
import io.tierdns.authoritative.ZoneFiles;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Loads every YAML example in {@code docs/*.md} and {@code examples/config/*.yml} exactly as a
 * node would: bound, validated, no unknown key, every address parsable, every zone file loadable.
 */
class ConfigurationExamplesTest {

  static final Path REPO = Path.of(System.getProperty("tierdns.repo", "..")).toAbsolutePath().normalize();
  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

  record Example(String source, String yaml) {
    @Override
    public String toString() {
      return source;
    }
  }

  static Stream<Example> examples() throws Exception {
    List<Example> examples = new ArrayList<>();
    try (Stream<Path> docs = Files.list(REPO.resolve("docs"))) {
      for (Path doc : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        Matcher m = YAML_BLOCK.matcher(Files.readString(doc));
        int n = 0;
        while (m.find()) {
          examples.add(new Example(REPO.relativize(doc) + "#" + (++n), m.group(1)));
        }
      }
    }
    try (Stream<Path> configs = Files.list(REPO.resolve("examples/config"))) {
      for (Path yml : configs.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        examples.add(new Example(REPO.relativize(yml).toString(), Files.readString(yml)));
      }
    }
    assertThat(examples).isNotEmpty();
    return examples.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExampleLoadsAsANodeConfiguration(Example example) throws Exception {
    Map<String, Object> props =
        new YamlPropertySourceLoader()
            .read(example.source(), new ByteArrayInputStream(example.yaml().getBytes(StandardCharsets.UTF_8)));
    try (ApplicationContext context =
        ApplicationContext.builder()
            .propertySources(PropertySource.of(example.source(), props))
            .deduceEnvironment(false)
            .banner(false)
            .start()) {
      assertThat(ConfigurationCheck.unknownKeys(context.getEnvironment())).isEmpty();
      NodeConfiguration node = context.getBean(NodeConfiguration.class);
      node.getListen().forEach(ListenAddress::parse);
      context.getBean(NodeConfiguration.Wire.class);
      context.getBean(NodeConfiguration.Admin.class);
      NodeConfiguration.Authoritative authoritative = context.getBean(NodeConfiguration.Authoritative.class);
      if (authoritative.getZoneDirectory() != null) {
        assertThat(ZoneFiles.loadDirectory(REPO.resolve(authoritative.getZoneDirectory())).errors()).isEmpty();
      }
      AuthoritativeSettings.from(context.getEnvironment());
      io.tierdns.node.report.PropagationSettings.from(context.getEnvironment());
      io.tierdns.node.cache.CacheRole cache = context.getBean(io.tierdns.node.cache.CacheRole.class);
      cache.policy();
      cache.selectorPolicy();
      cache.forwardZones();
      cache.subscriptions();
      context.getBean(io.tierdns.node.secondary.SecondaryRole.class).zones();
    }
  }
}
