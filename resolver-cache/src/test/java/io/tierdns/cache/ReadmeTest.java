package io.tierdns.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's Syntax table and examples stay true to the code (CoreDNS's readme_test). */
class ReadmeTest {

  private static final Pattern TABLE_KNOB = Pattern.compile("^\\| `(\\w+)` \\|");
  private static final Pattern YAML_KNOB = Pattern.compile("^  (\\w+): (.+)$");
  private static final Set<String> TABLE_ONLY = Set.of("upstreams", "zones");

  private static String readme() throws IOException {
    Path local = Path.of("README.md");
    if (Files.exists(local)) {
      return Files.readString(local);
    }
    return Files.readString(Path.of(System.getProperty("tierdns.repo"), "resolver-cache", "README.md"));
  }

  private static Set<String> knobs() {
    Set<String> all = new TreeSet<>();
    Arrays.stream(CachePolicy.class.getRecordComponents()).map(RecordComponent::getName).forEach(all::add);
    Arrays.stream(SelectorPolicy.class.getRecordComponents()).map(RecordComponent::getName).forEach(all::add);
    return all;
  }

  @Test
  void theSyntaxTableListsExactlyThePolicyKnobs() throws IOException {
    String syntax = readme().split("## Syntax")[1].split("## Metrics")[0];
    Set<String> documented =
        syntax.lines()
            .map(TABLE_KNOB::matcher)
            .filter(Matcher::find)
            .map(m -> m.group(1))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(documented).isEqualTo(knobs());
  }

  @Test
  void everyExampleBuildsAValidPolicy() throws Exception {
    List<Map<String, String>> examples = examples(readme().split("## Examples")[1]);
    assertThat(examples).hasSizeGreaterThanOrEqualTo(2);
    for (Map<String, String> example : examples) {
      CachePolicy.Builder builder = CachePolicy.builder();
      for (Map.Entry<String, String> knob : example.entrySet()) {
        if (TABLE_ONLY.contains(knob.getKey())) {
          continue;
        }
        assertThat(knobs()).as("knob in README example").contains(knob.getKey());
        apply(builder, knob.getKey(), knob.getValue());
      }
      builder.build(); // validates
    }
  }

  @Test
  void theMetricsSectionNamesEveryMeterTheObserverRegisters() throws IOException {
    String metrics = readme().split("## Metrics")[1].split("## Examples")[0];
    assertThat(metrics)
        .contains("`cache.hits`", "`cache.misses`", "`cache.stale.answers`", "`cache.servfails`",
            "`cache.prefetches`", "`cache.coalesced`", "`cache.upstream.latency`",
            "`cache.upstream.errors`", "`cache.entries`", "`cache.size.bytes`", "`cache.evictions`");
    for (UpstreamError kind : UpstreamError.values()) {
      assertThat(metrics).contains("`" + kind.tag() + "`");
    }
  }

  private static List<Map<String, String>> examples(String text) {
    List<Map<String, String>> out = new ArrayList<>();
    for (String block : text.split("```yaml")) {
      if (!block.contains("```")) {
        continue;
      }
      Map<String, String> knobs = new LinkedHashMap<>();
      for (String line : block.split("```")[0].lines().toList()) {
        Matcher m = YAML_KNOB.matcher(line);
        if (m.find()) {
          knobs.put(m.group(1), m.group(2).trim());
        }
      }
      out.add(knobs);
    }
    return out;
  }

  private static void apply(CachePolicy.Builder builder, String knob, String value) throws Exception {
    for (Method m : CachePolicy.Builder.class.getMethods()) {
      if (!m.getName().equals(knob) || m.getParameterCount() != 1) {
        continue;
      }
      Class<?> type = m.getParameterTypes()[0];
      Object arg;
      if (type == Duration.class) {
        arg = duration(value);
      } else if (type == boolean.class) {
        arg = Boolean.parseBoolean(value);
      } else if (type == double.class) {
        arg = Double.parseDouble(value);
      } else {
        arg = Long.parseLong(value);
      }
      m.invoke(builder, arg);
      return;
    }
    // SelectorPolicy knobs are not on the CachePolicy builder; their names were checked above
  }

  static Duration duration(String s) {
    Matcher m = Pattern.compile("^(\\d+)(ms|s|m|h|d)$").matcher(s);
    if (!m.find()) {
      throw new IllegalArgumentException("not a duration: " + s);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
