package io.tierdns.node.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real headless Chromium (Debian's {@code chromium}): it loads, has one
 * timeline row per node, and its screenshot is a real picture. Skipped where Chromium is missing,
 * except under CI ({@code CI=true}), where a missing Chromium fails. With {@code
 * -Dtierdns.update-screenshot=true} the screenshot replaces {@code docs/propagation-report.png}.
 */
class PropagationHtmlChromiumTest {

  private static final Path REPO = Path.of(System.getProperty("tierdns.repo", "..")).toAbsolutePath().normalize();

  @TempDir Path tmp;

  @Test
  void theReportRendersInHeadlessChromiumWithOneRowPerNode() throws Exception {
    Path chromium = chromium();
    Path page = tmp.resolve("propagation.html");
    // the sample with a plain name: this page is also the screenshot in docs/
    var report = PropagationJsonParser.parse(ReportSamples.MIXED.replace("local <lab>", "local"));
    Files.writeString(page, PropagationHtml.render(report, ReportSamples.NOW), StandardCharsets.UTF_8);

    String dom = new String(runChromium(chromium, "--dump-dom", page), StandardCharsets.UTF_8);
    assertThat(dom.split("<g class=\"row\"", -1).length - 1).as("timeline rows in the loaded DOM").isEqualTo(4);
    assertThat(dom.split("<tr class=", -1).length - 1).as("table rows in the loaded DOM").isEqualTo(4);

    Path png = tmp.resolve("propagation.png");
    runChromium(chromium, "--screenshot=" + png, page);
    assertThat(png).exists();
    assertThat(Files.size(png)).as("a screenshot with content, not a blank page").isGreaterThan(10_000);
    try (InputStream in = Files.newInputStream(png)) {
      DataInputStream d = new DataInputStream(in);
      byte[] signature = new byte[8];
      d.readFully(signature);
      assertThat(signature).startsWith(0x89, 'P', 'N', 'G');
      d.skipBytes(8); // IHDR length and type
      assertThat(new int[] {d.readInt(), d.readInt()}).containsExactly(1200, 800);
    }
    if (Boolean.getBoolean("tierdns.update-screenshot")) {
      Files.copy(png, REPO.resolve("docs/propagation-report.png"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private byte[] runChromium(Path chromium, String mode, Path page) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + tmp.resolve("profile"), "--window-size=1200,800", "--hide-scrollbars", mode,
        page.toUri().toString()));
    Path log = tmp.resolve("chromium.log");
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    byte[] stdout = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 60 s: " + Files.readString(log));
    }
    assertThat(p.exitValue()).as("chromium exit; log: %s", Files.readString(log)).isZero();
    return stdout;
  }

  /** The {@code chromium} on PATH; skips the test without one, fails it under CI. */
  private static Path chromium() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "chromium");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError("chromium is not installed; CI needs it (apt-get install chromium)");
    }
    assumeTrue(false, "chromium is not installed");
    return null;
  }
}
