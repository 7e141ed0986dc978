package io.tierdns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** {@link ZoneFileReader} reads what dnsjava's {@code Master} reads, or leaves the file to it. */
class ZoneFileReaderTest {

  private static final Name ORIGIN = Name.fromConstantString("example.test.");
  private static final String HEAD = "$TTL 300\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n";

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(
      strings = {
        HEAD + "a A 192.0.2.2\n AAAA 2001:db8::1\n",
        HEAD + "a 60 A 192.0.2.2\n\tTXT \"x y\" z\n\t3600 IN MX 10 mail\n",
        HEAD + "a IN 60 A 192.0.2.2\nb 1h30m IN TXT \"t\"\nc IN A 192.0.2.3\n",
        HEAD + "$ORIGIN sub\nx A 192.0.2.4\n$ORIGIN example.test.\ny CNAME x.sub\n",
        HEAD + "$TTL 1d\nz A 192.0.2.5 ; a comment\n; a line of comment\n\n   \nw TXT ( \"a\"\n  \"b\" )\n",
        HEAD + "x.example.test. A 192.0.2.6\nX.Example.Test. AAAA ::1\nx TYPE65280 \\# 2 abcd\n",
        "@ 300 IN SOA ns h ( 1 2 3\n 4 5 )\n@ 300 NS ns\nns A 192.0.2.1\n",
        "$ORIGIN example.test.\n@ 60 SOA ns h 1 2 3 4 5\n NS ns\nns A 192.0.2.1\n",
        "@ 10 CH SOA ns h 1 2 3 4 5\n@ CH NS ns\n",
        HEAD + "e\\.dot A 192.0.2.7\n\"q\" A 192.0.2.8\n",
        HEAD + "k TYPE61 ; no data\n",
      })
  void readsWhatMasterReads(String text) throws IOException {
    Path file = write(text);
    assertThat(ZoneFileReader.read(file, ORIGIN)).isNotNull();
    assertReadsAsMasterDoes(file, ORIGIN);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "@ SOA ns h 1 2 3 4 5\n@ NS ns\n", // no TTL anywhere: Master takes the SOA's MINIMUM
        HEAD + "$GENERATE 1-3 h$ A 192.0.2.$\n",
        HEAD + "$INCLUDE other.zone\n",
        HEAD + "$NOPE x\n",
        " A 192.0.2.1\n" + HEAD, // no owner yet
        HEAD + "a BOGUS 1\n",
        HEAD + "a A 192.0.2.300\n",
        HEAD + "a A 192.0.2.1 extra\n",
        HEAD + "a 1x A 192.0.2.1\n",
        HEAD + "\"\" A 192.0.2.1\n",
      })
  void leavesToMasterWhatItDoesNotRead(String text) throws IOException {
    Path file = write(text);
    assertThat(ZoneFileReader.read(file, ORIGIN)).isNull();
  }

  @Test
  void aSyntaxErrorIsReportedAsMasterWordsIt() throws IOException {
    Path file = write(HEAD + "\na A 192.0.2.300\n");
    try {
      ZoneFiles.load(file, ORIGIN);
    } catch (ZoneLoadException e) {
      assertThat(e.getMessage()).contains(":6:").contains("192.0.2.300");
      return;
    }
    throw new AssertionError("loaded");
  }

  private Path write(String text) throws IOException {
    Path file = dir.resolve("example.test.zone");
    Files.writeString(file, text, StandardCharsets.ISO_8859_1);
    return file;
  }

  /**
   * When the reader reads the file, {@code Master} reads the same records, in the same order, with
   * the same TTLs ({@link Record#equals} leaves TTLs out).
   */
  static void assertReadsAsMasterDoes(Path file, Name origin) throws IOException {
    List<Record> fast = ZoneFileReader.read(file, origin);
    if (fast == null) {
      return;
    }
    List<Record> master = ZoneFiles.readWithMaster(file, origin);
    assertThat(fast.stream().map(ZoneFileReaderTest::describe).toList())
        .containsExactlyElementsOf(master.stream().map(ZoneFileReaderTest::describe).toList());
  }

  /**
   * A record as text that tells any two records apart, TTL included. Not {@link Record#equals}: it
   * encodes both records, and a record that dnsjava parses but cannot encode (an OPENPGPKEY without
   * data, found by the fuzzer) throws there; ZoneSnapshot.of refuses such a record.
   */
  private static String describe(Record r) {
    String data;
    try {
      data = java.util.HexFormat.of().formatHex(r.rdataToWireCanonical());
    } catch (RuntimeException cannotEncode) {
      data = "cannot encode: " + cannotEncode.getClass().getName();
    }
    return r.getName() + " " + r.getTTL() + " " + r.getDClass() + " " + r.getType() + " " + r.getClass().getSimpleName() + " " + data;
  }
}
