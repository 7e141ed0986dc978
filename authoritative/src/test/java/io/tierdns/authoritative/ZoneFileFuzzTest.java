package io.tierdns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.testing.FuzzScratch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Coverage-guided fuzzing of the zone-file loader (docs/fuzzing.md): any text through {@link
 * ZoneFiles#load} either is a {@link ZoneLoadException} or a valid zone (SOA and NS at the apex)
 * that {@link ZoneFiles#write} writes back into a file that loads to the same content. Any other
 * exception type is a finding, and so is a file that {@link ZoneFileReader} reads otherwise than
 * dnsjava's {@code Master}.
 *
 * <p>Zone files come from the operator, so two directives that legitimately read or make a lot are
 * kept out of the fuzzer's reach: {@code $INCLUDE} (it reads any file, {@code /dev/zero}
 * included) and a {@code $GENERATE} of more than 1000 names. Seeds: {@code
 * src/test/resources/io/tierdns/authoritative/ZoneFileFuzzTestInputs/}.
 */
class ZoneFileFuzzTest {

  private static final Name ORIGIN = Name.fromConstantString("example.test.");
  private static final Pattern GENERATE =
      Pattern.compile("\\$generate(\\s+(\\d+)-(\\d+)(/\\d+)?)?", Pattern.CASE_INSENSITIVE);
  private static final Path ROOT = FuzzScratch.root();

  @FuzzTest(maxDuration = "30s")
  void anyTextLoadsAsAValidZoneOrFailsWithALoadError(byte[] text) throws IOException {
    if (!acceptable(new String(text, StandardCharsets.ISO_8859_1))) {
      return;
    }
    Path dir = Files.createTempDirectory(ROOT, "zonefile");
    try {
      Path file = dir.resolve("example.test.zone");
      Files.write(file, text);
      ZoneFileReaderTest.assertReadsAsMasterDoes(file, ORIGIN);
      ZoneSnapshot zone;
      try {
        zone = ZoneFiles.load(file, ORIGIN);
      } catch (ZoneLoadException expected) {
        assertThat(expected.getMessage()).isNotBlank();
        return;
      }
      assertThat(zone.origin()).isEqualTo(ORIGIN);
      assertThat(zone.soa().getName()).isEqualTo(ORIGIN);
      assertThat(zone.rrset(ORIGIN, Type.NS)).isPresent();
      Path copy = dir.resolve("copy.zone");
      ZoneFiles.write(zone, copy);
      ZoneSnapshot reloaded = ZoneFiles.load(copy, ORIGIN);
      assertThat(Diffs.sameContent(reloaded, zone))
          .as("a written zone loads back unchanged:\n%s", Files.readString(copy, StandardCharsets.ISO_8859_1))
          .isTrue();
    } finally {
      FuzzScratch.delete(dir);
    }
  }

  /** False for $INCLUDE and for a $GENERATE that is not a small, plain range. */
  static boolean acceptable(String text) {
    if (text.toLowerCase(Locale.ROOT).contains("$include")) {
      return false;
    }
    Matcher m = GENERATE.matcher(text);
    while (m.find()) {
      if (m.group(1) == null || m.group(2).length() > 9 || m.group(3).length() > 9) {
        return false;
      }
      long span = Long.parseLong(m.group(3)) - Long.parseLong(m.group(2));
      if (span > 1000) {
        return false;
      }
    }
    return true;
  }
}
