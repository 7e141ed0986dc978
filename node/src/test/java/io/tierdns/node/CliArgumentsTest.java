package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CliArgumentsTest {

  @Test
  void quickFormServesADirectoryOnTheGivenAddress() {
    CliArguments cli = CliArguments.parse("run", "--authoritative", "zones", "--listen", "127.0.0.1:5353");
    assertThat(cli.command()).isEqualTo("run");
    assertThat(cli.properties())
        .containsEntry("tierdns.authoritative.zone-directory", "zones")
        .containsEntry("tierdns.listen", List.of("127.0.0.1:5353"));
  }

  @Test
  void quickFormAcceptsSeveralListenAddressesAndEqualsSyntax() {
    CliArguments cli =
        CliArguments.parse("run", "--authoritative=zones", "--listen=127.0.0.1:1", "--listen", "[::1]:1");
    assertThat(cli.properties()).containsEntry("tierdns.listen", List.of("127.0.0.1:1", "[::1]:1"));
  }

  @Test
  void configFormNamesTheFile() {
    CliArguments cli = CliArguments.parse("run", "--config", "node.yml");
    assertThat(cli.configFile()).isEqualTo(Path.of("node.yml"));
    assertThat(cli.properties()).isEmpty();
  }

  @Test
  void upDefaultsItsDataDirectory() {
    assertThat(CliArguments.parse("up").dataDir()).isEqualTo(Path.of(".tierdns"));
    assertThat(CliArguments.parse("up", "--data", "/tmp/x").dataDir()).isEqualTo(Path.of("/tmp/x"));
  }

  @Test
  void badCommandLinesSayWhatIsWrong() {
    assertThatThrownBy(() -> CliArguments.parse()).hasMessageContaining("no command");
    assertThatThrownBy(() -> CliArguments.parse("serve")).hasMessageContaining("unknown command 'serve'");
    assertThatThrownBy(() -> CliArguments.parse("run")).hasMessageContaining("--config");
    assertThatThrownBy(() -> CliArguments.parse("run", "--authoritative", "z"))
        .hasMessageContaining("needs --listen");
    assertThatThrownBy(() -> CliArguments.parse("run", "--authoritative", "z", "--listen", "localhost:53"))
        .hasMessageContaining("literal");
    assertThatThrownBy(() -> CliArguments.parse("run", "--config", "a.yml", "--authoritative", "z"))
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> CliArguments.parse("run", "--config")).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> CliArguments.parse("run", "--config", "a", "--bogus", "1"))
        .hasMessageContaining("unknown option --bogus");
    assertThatThrownBy(() -> CliArguments.parse("up", "--listen", "127.0.0.1:1"))
        .hasMessageContaining("fixed ports");
  }
}
