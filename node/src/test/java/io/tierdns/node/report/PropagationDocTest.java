package io.tierdns.node.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The examples of {@code docs/propagation.md} are what the code prints. */
class PropagationDocTest {

  private static final Path DOC = Path.of(System.getProperty("tierdns.repo", "..")).toAbsolutePath().normalize()
      .resolve("docs/propagation.md");

  @Test
  void theDocumentedTableIsWhatTheCliPrintsForTheDocumentedJson() throws Exception {
    String doc = Files.readString(DOC);
    Matcher json = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
    Matcher table = Pattern.compile("```text\\n(zone .*?)```", Pattern.DOTALL).matcher(doc);
    assertThat(json.find()).as("a json example").isTrue();
    assertThat(table.find()).as("a table example").isTrue();
    assertThat(table.group(1)).isEqualTo(PropagationTable.render(PropagationJsonParser.parse(json.group(1))));
  }

  @Test
  void everyMetricIsDocumented() throws Exception {
    String doc = Files.readString(DOC);
    for (String name : new String[] {"propagation_lag_seconds", "propagation_serial_delta",
        "propagation_time_to_visible_seconds"}) {
      assertThat(doc).contains("| `" + name + "` |");
    }
  }

  @Test
  void theWhatIfExampleHasTheFieldsTheApiAnswers() throws Exception {
    String doc = Files.readString(DOC);
    Matcher json = Pattern.compile("```json\\n(\\{\\n  \"zone\": \"example.test.\", \"name\".*?)```", Pattern.DOTALL)
        .matcher(doc);
    assertThat(json.find()).as("a what-if json example").isTrue();
    io.micronaut.json.tree.JsonNode example = io.micronaut.json.JsonMapper.createDefault()
        .readValue(json.group(1), io.micronaut.json.tree.JsonNode.class);
    assertThat(keys(example)).containsExactlyInAnyOrderElementsOf(
        components(PropagationController.EstimateJson.class));
    for (io.micronaut.json.tree.JsonNode n : example.get("nodes").values()) {
      assertThat(keys(n)).containsExactlyInAnyOrderElementsOf(components(PropagationController.EstimateNodeJson.class));
      assertThat(n.get("upperBoundMs").getLongValue()).isGreaterThanOrEqualTo(n.get("estimateMs").getLongValue());
    }
    // the advice is what the numbers say: Z = at + safeAfterMs, Y = withinMs
    java.time.Instant at = java.time.Instant.parse(example.get("at").getStringValue());
    assertThat(example.get("safeAfter").getStringValue())
        .isEqualTo(at.plusMillis(example.get("safeAfterMs").getLongValue()).toString());
    assertThat(example.get("advice").getStringValue())
        .contains("within " + PropagationTable.duration(example.get("withinMs").getLongValue()) + " if applied after "
            + example.get("safeAfter").getStringValue());
  }

  private static java.util.List<String> keys(io.micronaut.json.tree.JsonNode n) {
    java.util.List<String> out = new java.util.ArrayList<>();
    n.entries().forEach(e -> out.add(e.getKey()));
    return out;
  }

  private static java.util.List<String> components(Class<? extends Record> type) {
    return java.util.Arrays.stream(type.getRecordComponents()).map(java.lang.reflect.RecordComponent::getName).toList();
  }
}
