package io.tierdns.authoritative;

import static io.tierdns.authoritative.TestZones.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class ZoneFilesTest {

  @TempDir Path dir;

  private static final String HEAD =
      "$TTL 3600\n@ IN SOA ns1 hostmaster 7 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n";

  private Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void originDirectiveAndTtlDirectiveApply() throws IOException {
    Path f =
        file(
            "example.test.zone",
            HEAD + "$ORIGIN lab.example.test.\nhost A 192.0.2.5\n$TTL 60\nother A 192.0.2.6\n");
    ZoneSnapshot z = ZoneFiles.load(f, name("example.test"));
    assertThat(z.rrset(name("host.lab.example.test"), Type.A).orElseThrow().getTTL())
        .isEqualTo(3600);
    assertThat(z.rrset(name("other.lab.example.test"), Type.A).orElseThrow().getTTL())
        .isEqualTo(60);
    assertThat(z.serial()).isEqualTo(7);
  }

  @Test
  void includeIsReadRelativeToTheIncludingFile() throws IOException {
    file("hosts.inc", "inc A 192.0.2.7\n");
    Path f = file("example.test.zone", HEAD + "$INCLUDE hosts.inc\n");
    ZoneSnapshot z = ZoneFiles.load(f, name("example.test"));
    assertThat(z.rrset(name("inc.example.test"), Type.A)).isPresent();
  }

  @Test
  void generateIsExpanded() throws IOException {
    Path f = file("example.test.zone", HEAD + "$GENERATE 1-10 host-$ A 192.0.2.$\n");
    ZoneSnapshot z = ZoneFiles.load(f, name("example.test"));
    assertThat(z.rrset(name("host-1.example.test"), Type.A)).isPresent();
    assertThat(z.rrset(name("host-10.example.test"), Type.A).orElseThrow().first().rdataToString())
        .isEqualTo("192.0.2.10");
    assertThat(z.records()).hasSize(3 + 10);
  }

  @Test
  void syntaxErrorIsReportedAsFileColonLine() throws IOException {
    Path f = file("example.test.zone", HEAD + "good A 192.0.2.8\nbad A not-an-address\n");
    assertThatThrownBy(() -> ZoneFiles.load(f, name("example.test")))
        .isInstanceOf(ZoneLoadException.class)
        .hasMessageStartingWith(f + ":6:")
        .satisfies(e -> assertThat(((ZoneLoadException) e).line()).isEqualTo(6));
  }

  @Test
  void cnameBesideOtherDataIsRejectedNamingTheFileAndRecord() throws IOException {
    Path f = file("example.test.zone", HEAD + "www CNAME ns1\nwww TXT \"hello\"\n");
    assertThatThrownBy(() -> ZoneFiles.load(f, name("example.test")))
        .isInstanceOf(ZoneLoadException.class)
        .hasMessageStartingWith(f + ": ")
        .hasMessageContaining("CNAME record www.example.test.")
        .hasMessageContaining("beside other data");
  }

  @Test
  void directoryLoadReportsABrokenFileAndLoadsTheOthers() throws IOException {
    file("example.test.zone", HEAD + "www A 192.0.2.9\n");
    file("other.test.zone", HEAD + "www A 192.0.2.10\n");
    Path broken = file("broken.test.zone", HEAD + "www A 192.0.2.999\n");
    file("notes.txt", "not a zone");

    ZoneFiles.DirectoryLoad load = ZoneFiles.loadDirectory(dir);

    assertThat(load.zones())
        .extracting(ZoneSnapshot::origin)
        .containsExactly(name("example.test"), name("other.test"));
    assertThat(load.errors()).singleElement()
        .satisfies(
            e -> {
              assertThat(e.file()).isEqualTo(broken);
              assertThat(e.line()).isEqualTo(5);
              assertThat(e.message()).startsWith(broken + ":5:");
            });
  }

  @Test
  void writtenZoneLoadsBackIdentically() throws IOException {
    Path f = file("example.test.zone", HEAD + "www A 192.0.2.9\nalias CNAME www\ntxt TXT \"a b\"\n");
    ZoneSnapshot z = ZoneFiles.load(f, name("example.test"));
    Path out = dir.resolve("copy.zone");
    ZoneFiles.write(z, out);
    ZoneSnapshot back = ZoneFiles.load(out, name("example.test"));
    assertThat(back.records()).containsExactlyElementsOf(z.records());
    assertThat(back.records()).extracting(Record::getTTL).containsExactlyElementsOf(
        z.records().stream().map(Record::getTTL).toList());
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }
}
