package io.tierdns.node.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tierdns.node.CliArguments;
import io.tierdns.node.CliArguments.UsageException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportOptionsTest {

  @Test
  void theDefaultsAreTheLatestChangeAsATableFromTheLocalPrimary() {
    ReportOptions o = ReportOptions.parse(List.of("propagation", "example.test"));
    assertThat(o).isEqualTo(new ReportOptions("example.test", null, ReportOptions.Format.TABLE,
        URI.create("http://127.0.0.1:8053"), false, null));
  }

  @Test
  void everyOptionIsReadInEitherSpelling() {
    ReportOptions o = ReportOptions.parse(List.of("propagation", "--serial", "4294967295", "example.test.",
        "--format=html", "--api", "http://127.0.0.1:9000/", "--watch", "--out", "r.html"));
    assertThat(o).isEqualTo(new ReportOptions("example.test.", 4294967295L, ReportOptions.Format.HTML,
        URI.create("http://127.0.0.1:9000"), true, Path.of("r.html")));
  }

  @Test
  void badInputIsAUsageErrorSayingWhy() {
    assertThatThrownBy(() -> ReportOptions.parse(List.of())).hasMessageContaining("report propagation ZONE");
    assertThatThrownBy(() -> ReportOptions.parse(List.of("lag", "x"))).hasMessageContaining("unknown report 'lag'");
    assertThatThrownBy(() -> ReportOptions.parse(List.of("propagation"))).hasMessageContaining("needs a ZONE");
    assertThatThrownBy(() -> ReportOptions.parse(List.of("propagation", "a", "b"))).hasMessageContaining("one zone");
    assertThatThrownBy(() -> ReportOptions.parse(List.of("propagation", "a", "--serial", "4294967296")))
        .isInstanceOf(UsageException.class).hasMessageContaining("0..4294967295");
    assertThatThrownBy(() -> ReportOptions.parse(List.of("propagation", "a", "--format", "pdf")))
        .hasMessageContaining("table, json or html");
    assertThatThrownBy(() -> ReportOptions.parse(List.of("propagation", "a", "--api", "127.0.0.1:8053")))
        .hasMessageContaining("http(s) URL");
    assertThatThrownBy(() -> ReportOptions.parse(List.of("propagation", "a", "--out", "x"))).hasMessageContaining("html");
    assertThatThrownBy(() -> ReportOptions.parse(List.of("propagation", "a", "--serial"))).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> ReportOptions.parse(List.of("propagation", "a", "--live"))).hasMessageContaining("--live");
  }

  @Test
  void reportIsACommandOfTheCommandLine() {
    CliArguments cli = CliArguments.parse("report", "propagation", "example.test", "--format", "json");
    assertThat(cli.command()).isEqualTo("report");
    assertThat(((ReportOptions) cli.properties().get(CliArguments.REPORT)).format()).isEqualTo(ReportOptions.Format.JSON);
  }

  @Test
  void whatIfTakesANameATypeAndAnOptionalTtl() {
    ReportOptions o = ReportOptions.parse(List.of("propagation", "example.test", "--what-if", "www", "A", "--ttl", "60"));
    assertThat(o.whatIfName()).isEqualTo("www");
    assertThat(o.whatIfType()).isEqualTo("A");
    assertThat(o.ttl()).isEqualTo(60L);
    assertThat(ReportOptions.parse(List.of("propagation", "--what-if", "www", "AAAA", "example.test")).zone())
        .isEqualTo("example.test");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportOptions.parse(List.of("propagation", "z", "--what-if", "www")))
        .hasMessageContaining("--what-if needs a NAME and a TYPE");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportOptions.parse(List.of("propagation", "z", "--ttl", "5")))
        .hasMessageContaining("--ttl is for --what-if");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportOptions.parse(
        List.of("propagation", "z", "--what-if", "www", "A", "--format", "html"))).hasMessageContaining("table or json");
  }
}
