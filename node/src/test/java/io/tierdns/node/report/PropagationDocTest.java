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
}
