package io.tierdns.node.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PropagationHtmlTest {

  private final String page = PropagationHtml.render(ReportSamples.mixed(), ReportSamples.NOW);

  @Test
  void thePageHasOneTimelineRowPerNodeWithAnEstimateMarker() {
    assertThat(count("<g class=\"row\"")).isEqualTo(4);
    assertThat(count("<path class=\"estimate\"")).isEqualTo(4);
    assertThat(page).contains("data-node=\"secondary\" data-state=\"PROPAGATED\"")
        .contains("data-node=\"edge\" data-state=\"PENDING\"");
  }

  @Test
  void pendingNodesAreDrawnStripedUpToNowAndSaySo() {
    assertThat(page).contains("class=\"bar pending\"").contains("pending · 1.2 s so far")
        .contains("class=\"bar ttl\"").contains("2.5 s (TTL expiry)").contains("class=\"bar observed\"");
  }

  @Test
  void barsAreScaledFromTheCommitOnACommonAxis() {
    // span: 2.5 s + 10 %, rounded up to the 500 ms tick step = 3 s over the plot width
    assertThat(PropagationHtml.span(ReportSamples.mixed(), 1200)).isEqualTo(3000);
    double plot = PropagationHtml.WIDTH - PropagationHtml.LABEL - PropagationHtml.RIGHT;
    assertThat(page).contains("width=\"" + String.format(java.util.Locale.ROOT, "%.1f", plot * 1200 / 3000) + "\"");
    assertThat(page).contains(">commit</text>").contains(">500 ms</text>").contains(">3.0 s</text>");
  }

  @Test
  void thePageIsSelfContainedAndEscapesNames() {
    assertThat(page).startsWith("<!DOCTYPE html>").doesNotContain("<script").doesNotContain("src=")
        .doesNotContain("href=").doesNotContain("@import").doesNotContain("local <lab>")
        .contains("local &lt;lab&gt;");
    Matcher urls = Pattern.compile("https?://").matcher(page.replace("http://www.w3.org/2000/svg", ""));
    assertThat(urls.find()).isFalse();
  }

  @Test
  void theTableRepeatsEveryNodeForReadersWithoutTheChart() {
    assertThat(count("<tr class=")).isEqualTo(4);
    assertThat(page).contains("<td class=\"num\">-</td>"); // the pending edge has no measured time
  }

  @Test
  void tickStepsAreRound() {
    assertThat(PropagationHtml.tickStep(8)).isEqualTo(1);
    assertThat(PropagationHtml.tickStep(3300)).isEqualTo(500);
    assertThat(PropagationHtml.tickStep(330_000)).isEqualTo(50_000);
  }

  private int count(String s) {
    return page.split(Pattern.quote(s), -1).length - 1;
  }
}
