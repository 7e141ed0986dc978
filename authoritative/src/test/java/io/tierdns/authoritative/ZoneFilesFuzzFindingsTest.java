package io.tierdns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/** Regressions found by {@link ZoneFileFuzzTest} (docs/fuzzing.md). */
class ZoneFilesFuzzFindingsTest {

  @TempDir Path dir;

  @Test
  void anEmptyQuotedStringAsTheFirstTokenIsALoadErrorNotAnUncheckedException() throws IOException {
    Path file = dir.resolve("example.test.zone");
    Files.writeString(file, "$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ns1\n\"\" A 192.0.2.1\n");
    assertThatThrownBy(() -> ZoneFiles.load(file, Name.fromConstantString("example.test.")))
        .isInstanceOf(ZoneLoadException.class)
        .hasMessageContaining("example.test.zone");
  }

  @Test
  void aDirectoryWithSuchAFileStillLoadsItsOtherZones() throws IOException {
    Files.writeString(dir.resolve("bad.test.zone"), "\"\" A 192.0.2.1\n");
    Files.writeString(dir.resolve("good.test.zone"), "$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ns1\n");
    ZoneFiles.DirectoryLoad load = ZoneFiles.loadDirectory(dir);
    assertThat(load.zones()).hasSize(1);
    assertThat(load.errors()).hasSize(1);
  }

  @Test
  void anHttpsRecordDnsjavaParsesButCannotEncodeIsALoadErrorNamingIt() throws IOException {
    Path file = dir.resolve("example.test.zone");
    Files.writeString(file, "$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ns1\nh HTTPS 1 . ech=h2,h3\n");
    assertThatThrownBy(() -> ZoneFiles.load(file, Name.fromConstantString("example.test.")))
        .isInstanceOf(ZoneLoadException.class)
        .hasMessageContaining("h.example.test. HTTPS cannot be encoded");
  }

  @Test
  void aTxtRecordWithNoStringIsALoadErrorNotAnEmptyStringOnTheWayBack() throws IOException {
    Path file = dir.resolve("example.test.zone");
    Files.writeString(file, "$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ns1\nt TXT");
    assertThatThrownBy(() -> ZoneFiles.load(file, Name.fromConstantString("example.test.")))
        .isInstanceOf(ZoneLoadException.class)
        .hasMessageContaining("t.example.test. TXT has no character-string");
  }
}
