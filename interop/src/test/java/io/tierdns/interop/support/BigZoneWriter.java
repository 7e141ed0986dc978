package io.tierdns.interop.support;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes large, simple zones fast (one buffered pass, no dnsjava objects) for the transfer and
 * memory tests: apex SOA and NS, a TXT at {@code probe.ZONE} that names the version, then hosts
 * {@code hN} with A records, every 7th also an AAAA and every 10th also a TXT, until the zone
 * holds exactly {@code records} records.
 *
 * <p>The SOA's REFRESH is one hour (changes arrive by NOTIFY), RETRY one second (clamped by the
 * secondary to its minimum, so a failed refresh is retried at once) and EXPIRE two weeks (a
 * fault test never expires the zone).
 */
public final class BigZoneWriter {

  private BigZoneWriter() {}

  /**
   * Writes {@code zone} (absolute) at {@code serial} with {@code records} records (at least 4)
   * to {@code file}; {@code version} is the text of the probe TXT and part of every TXT.
   */
  public static Path write(Path file, String zone, long serial, int records, String version) throws IOException {
    if (records < 4) {
      throw new IllegalArgumentException("at least 4 records: SOA, NS, the NS's A and the probe TXT");
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
      out.write("$ORIGIN " + zone + "\n$TTL 3600\n");
      out.write("@ 3600 IN SOA ns1 hostmaster " + serial + " 3600 1 1209600 300\n");
      out.write("@ 3600 IN NS ns1\n");
      out.write("ns1 3600 IN A 192.0.2.53\n");
      out.write("probe 60 IN TXT \"" + version + "\"\n");
      int written = 4;
      StringBuilder line = new StringBuilder(96);
      for (int i = 0; written < records; i++) {
        line.setLength(0);
        line.append('h').append(i).append(" 3600 IN A 10.").append((i >> 16) & 0xff).append('.')
            .append((i >> 8) & 0xff).append('.').append(i & 0xff).append('\n');
        written++;
        if (i % 7 == 0 && written < records) {
          line.append('h').append(i).append(" 3600 IN AAAA 2001:db8::").append(Integer.toHexString(i & 0xffff)).append('\n');
          written++;
        }
        if (i % 10 == 0 && written < records) {
          line.append('h').append(i).append(" 300 IN TXT \"").append(version).append(' ').append(i).append("\"\n");
          written++;
        }
        out.write(line.toString());
      }
    }
    return file;
  }
}
