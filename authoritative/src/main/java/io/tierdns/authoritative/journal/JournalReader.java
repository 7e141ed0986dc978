package io.tierdns.authoritative.journal;

import io.tierdns.authoritative.ZoneException;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.edit.Diffs;
import io.tierdns.authoritative.edit.ZoneDiff;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * Recovery: reads a journal file up to its first bad entry, cuts the rest off, and rebuilds the
 * zone's state. An entry is bad when its frame is short, its CRC32C does not match or its payload
 * does not decode; everything from it on was never acknowledged (a torn write) or is damaged.
 * Entries that are intact but do not chain (a diff not starting at the previous serial) are a bug
 * or tampering, not a crash, and fail the open.
 */
final class JournalReader {

  private static final Logger log = LoggerFactory.getLogger(JournalReader.class);

  record Result(
      List<Journal.Entry> diffs,
      long serial,
      int afterSnapshot,
      long end,
      long baseSize,
      FlushMark lastFlush,
      ZoneSnapshot state,
      long truncatedBytes) {}

  private JournalReader() {}

  static Result read(Path file, Name zone, FileChannel ch) throws IOException {
    long fileSize = ch.size();
    byte[] magic = new byte[JournalCodec.MAGIC.length];
    if (fileSize < magic.length || FileIo.readFully(ch, ByteBuffer.wrap(magic), 0) < magic.length || !Arrays.equals(magic, JournalCodec.MAGIC)) {
      throw new JournalException(file + ": not a tierdns journal (bad magic)");
    }
    List<Journal.Entry> diffs = new ArrayList<>();
    List<ZoneDiff> pending = new ArrayList<>();
    ZoneSnapshot snapshot = null;
    FlushMark lastFlush = null;
    Long serial = null;
    long baseSize = 0;
    long pos = magic.length;
    long badEnd = -1; // where the first bad entry claims to end, when it claims anything sane
    String why = null;
    while (pos < fileSize) {
      ByteBuffer header = ByteBuffer.allocate(JournalCodec.FRAME_HEADER);
      if (FileIo.readFully(ch, header, pos) < JournalCodec.FRAME_HEADER) {
        why = "short frame header";
        break;
      }
      header.flip();
      long length = Integer.toUnsignedLong(header.getInt());
      long crc = Integer.toUnsignedLong(header.getInt());
      long end = pos + JournalCodec.FRAME_HEADER + length;
      if (length == 0 || length > JournalCodec.MAX_PAYLOAD || end > fileSize) {
        why = "short or implausible entry of " + length + " bytes";
        break;
      }
      byte[] payload = new byte[(int) length];
      FileIo.readFully(ch, ByteBuffer.wrap(payload), pos + JournalCodec.FRAME_HEADER);
      if (JournalCodec.crc(payload) != crc) {
        why = "CRC32C mismatch";
        badEnd = end;
        break;
      }
      JournalEntry entry;
      try {
        entry = JournalCodec.decode(payload, zone);
      } catch (IOException e) {
        why = "undecodable entry: " + e.getMessage();
        badEnd = end;
        break;
      }
      if (entry instanceof JournalEntry.Snapshot s) {
        ZoneSnapshot z = snapshot(file, zone, s, pos);
        if (serial != null && serial != z.serial()) {
          throw new JournalException(file + ": snapshot at offset " + pos + " has serial " + z.serial() + ", the entries before end at " + serial);
        }
        snapshot = z;
        serial = z.serial();
        pending.clear();
        baseSize = end;
      } else if (entry instanceof JournalEntry.Diff d) {
        if (serial != null && serial != d.diff().fromSerial()) {
          throw new JournalException(file + ": diff at offset " + pos + " starts at serial " + d.diff().fromSerial() + ", the entries before end at " + serial);
        }
        diffs.add(new Journal.Entry(d.diff(), (int) (end - pos)));
        if (snapshot != null) {
          pending.add(d.diff());
        }
        serial = d.diff().toSerial();
      } else if (entry instanceof JournalEntry.Flush f) {
        lastFlush = f.mark();
        if (snapshot != null && pending.isEmpty()) {
          baseSize = end; // the mark written with a snapshot is part of the compacted base
        }
      }
      pos = end;
    }
    long truncated = fileSize - pos;
    if (truncated > 0) {
      cutTail(file, zone, ch, pos, fileSize, badEnd, why);
    }
    if (snapshot == null) {
      throw new JournalException(file + ": no intact snapshot entry; the journal cannot be used");
    }
    ZoneSnapshot state;
    try {
      state = Diffs.applyAll(snapshot, pending);
    } catch (Diffs.MismatchException e) {
      throw new JournalException(file + ": diffs do not apply to the snapshot: " + e.getMessage(), e);
    }
    ch.position(pos);
    return new Result(List.copyOf(diffs), serial, pending.size(), pos, baseSize, lastFlush, state, truncated);
  }

  private static void cutTail(Path file, Name zone, FileChannel ch, long pos, long fileSize, long badEnd, String why) throws IOException {
    if (badEnd >= 0 && badEnd < fileSize) {
      // Intact-looking data follows the bad entry: damage, not a torn append. Keep a copy.
      Path copy = file.resolveSibling(file.getFileName() + ".corrupt");
      Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
      log.error(
          "zone={} journal {} is damaged at offset {} ({}); {} bytes after it dropped, original kept as {}",
          zone, file, pos, why, fileSize - pos, copy);
    } else {
      log.warn("zone={} journal {}: torn tail of {} bytes at offset {} ({}) cut off", zone, file, fileSize - pos, pos, why);
    }
    ch.truncate(pos);
    ch.force(true);
  }

  private static ZoneSnapshot snapshot(Path file, Name zone, JournalEntry.Snapshot s, long pos) {
    try {
      return ZoneSnapshot.of(zone, s.records());
    } catch (ZoneException e) {
      throw new JournalException(file + ": snapshot at offset " + pos + " is not a valid zone: " + e.getMessage(), e);
    }
  }
}
