package io.tierdns.authoritative;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Zone files in RFC 1035 §5 master format, read through dnsjava's {@link Master} ($ORIGIN, $TTL,
 * $INCLUDE relative to the including file, $GENERATE expanded) and written back atomically.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1035#section-5">RFC 1035 §5</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2308#section-4">RFC 2308 §4 ($TTL)</a>
 */
public final class ZoneFiles {

  /** The suffix of zone files in a directory; the rest of the file name is the zone's origin. */
  public static final String SUFFIX = ".zone";

  /** dnsjava's tokenizer says {@code name:line: reason}, with the file's name but not its path. */
  private static final Pattern WHERE = Pattern.compile("^(.*?):(\\d+): (.*)$", Pattern.DOTALL);

  private ZoneFiles() {}

  /**
   * The outcome of loading a directory: the zones that loaded and, apart, the files that did not.
   *
   * @param zones valid snapshots, in file name order
   * @param errors one entry per broken file, its message {@code file:line: reason}
   */
  public record DirectoryLoad(List<ZoneSnapshot> zones, List<ZoneLoadError> errors) {
    public DirectoryLoad {
      zones = List.copyOf(zones);
      errors = List.copyOf(errors);
    }
  }

  /**
   * Loads and validates one zone file.
   *
   * @param origin the zone's origin, also the initial $ORIGIN
   * @throws ZoneLoadException {@code file:line: reason} for a syntax error, {@code file: reason}
   *     when the zone breaks a rule of {@link ZoneSnapshot#of}
   */
  public static ZoneSnapshot load(Path file, Name origin) {
    List<Record> records = ZoneFileReader.read(file, origin);
    if (records == null) {
      records = readWithMaster(file, origin);
    }
    try {
      return ZoneSnapshot.of(origin, records);
    } catch (ZoneException e) {
      throw ZoneLoadException.of(file, 0, e.getMessage(), e);
    }
  }

  /** Every record of a zone file by dnsjava's {@link Master}, or its error as a load error. */
  static List<Record> readWithMaster(Path file, Name origin) {
    List<Record> records = new ArrayList<>();
    try (Master master = new Master(file.toString(), origin)) {
      master.expandGenerate(true);
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        records.add(r);
      }
    } catch (TextParseException e) {
      throw parseError(file, e);
    } catch (IOException e) {
      throw ZoneLoadException.of(file, 0, "cannot read: " + e, e);
    } catch (RuntimeException e) {
      // dnsjava's Master throws unchecked exceptions on some malformed lines, such as an empty
      // quoted string as the first token (StringIndexOutOfBoundsException): still a syntax error,
      // found by ZoneFileFuzzTest (docs/fuzzing.md).
      throw ZoneLoadException.of(file, 0, "syntax error after " + records.size() + " records: " + e, e);
    }
    return records;
  }

  private static ZoneLoadException parseError(Path file, TextParseException e) {
    String message = e.getMessage();
    Matcher m = WHERE.matcher(message == null ? "" : message);
    if (!m.matches()) {
      return ZoneLoadException.of(file, 0, String.valueOf(message), e);
    }
    int line = Integer.parseInt(m.group(2));
    if (m.group(1).equals(file.getFileName().toString())) {
      return ZoneLoadException.of(file, line, m.group(3), e); // the path, not just the name
    }
    // The fault is in an $INCLUDEd file: dnsjava's message names that file and its line.
    return ZoneLoadException.preformatted(file, line, file + ": in " + message, e);
  }

  /**
   * Loads every {@code *.zone} file of a directory; the zone name is the file name without {@code
   * .zone} ({@code example.test.zone} serves {@code example.test.}). A broken file is reported in
   * {@link DirectoryLoad#errors()} and the others still load.
   *
   * @throws ZoneLoadException when the directory itself cannot be listed
   */
  public static DirectoryLoad loadDirectory(Path dir) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path p : stream) {
        if (Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    } catch (IOException e) {
      throw ZoneLoadException.of(dir, 0, "cannot list zone directory: " + e, e);
    }
    files.sort(null);
    List<ZoneSnapshot> zones = new ArrayList<>();
    List<ZoneLoadError> errors = new ArrayList<>();
    for (Path file : files) {
      try {
        zones.add(load(file, originOf(file)));
      } catch (ZoneLoadException e) {
        errors.add(e.toError());
      }
    }
    return new DirectoryLoad(zones, errors);
  }

  /** The origin a file name stands for: {@code example.test.zone} → {@code example.test.}. */
  public static Name originOf(Path file) {
    String fileName = file.getFileName().toString();
    String zone = fileName.substring(0, fileName.length() - SUFFIX.length());
    try {
      if (zone.isEmpty()) {
        throw new TextParseException("empty zone name");
      }
      return Name.fromString(zone, Name.root);
    } catch (TextParseException e) {
      throw ZoneLoadException.of(file, 0, "file name is not a zone name: " + e.getMessage(), e);
    }
  }

  /**
   * Writes a zone in master format: {@code $ORIGIN}, the SOA, then every other record in canonical
   * order with absolute names. The file is replaced atomically: written and synced to a temporary
   * file beside it, then renamed over it, so a reader or a crash never sees half a file.
   *
   * @throws ZoneLoadException when the file cannot be written
   */
  public static void write(ZoneSnapshot zone, Path file) {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
          Writer out = Channels.newWriter(channel, StandardCharsets.UTF_8)) {
        out.write("$ORIGIN " + zone.origin() + "\n");
        out.write(zone.soa() + "\n");
        for (Record r : zone.records()) {
          if (r.getType() != Type.SOA) {
            out.write(presentation(r) + "\n");
          }
        }
        out.flush();
        channel.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw ZoneLoadException.of(file, 0, "cannot write: " + e, e);
    }
  }

  /**
   * A record's line in a zone file. dnsjava's presentation of SVCB and HTTPS parameters does not
   * always read back to the same data (an empty {@code alpn} element, bytes above 127: found by
   * ZoneFileFuzzTest), so those two types are checked and, when they do not survive the round
   * trip, written in the generic form of RFC 3597 §5 ({@code \\# LENGTH HEX}), which every
   * server reads.
   */
  static String presentation(Record r) {
    if (r.getType() != Type.SVCB && r.getType() != Type.HTTPS) {
      return r.toString();
    }
    byte[] wire = r.rdataToWireCanonical();
    try {
      Record back = Record.fromString(r.getName(), r.getType(), r.getDClass(), r.getTTL(), r.rdataToString(), Name.root);
      if (java.util.Arrays.equals(back.rdataToWireCanonical(), wire)) {
        return r.toString();
      }
    } catch (IOException | RuntimeException e) {
      // falls through to the generic form
    }
    return r.getName() + "\t" + r.getTTL() + "\t" + DClass.string(r.getDClass()) + "\t" + Type.string(r.getType())
        + "\t\\# " + wire.length + (wire.length == 0 ? "" : " " + java.util.HexFormat.of().formatHex(wire));
  }

  private static void deleteQuietly(Path tmp) {
    if (tmp == null) {
      return;
    }
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException ignored) {
      // the write already failed; that is the error worth reporting
    }
  }
}
