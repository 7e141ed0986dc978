package io.tierdns.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** A record with another TTL, which dnsjava does not offer publicly. */
public final class RecordTtl {

  private RecordTtl() {}

  /**
   * The same record with another TTL, or the record itself when the TTL is already that.
   * dnsjava keeps {@code withDClass(int, long)} package-private, so the record goes through its
   * uncompressed wire form, whose TTL sits right after owner name, type and class; unlike a
   * rebuild from canonical RDATA this keeps the letter case of names inside the RDATA.
   */
  public static Record withTtl(Record record, long ttl) {
    if (record.getTTL() == ttl) {
      return record;
    }
    byte[] wire = record.toWire(Section.ANSWER);
    int at = record.getName().length() + 4;
    wire[at] = (byte) (ttl >>> 24);
    wire[at + 1] = (byte) (ttl >>> 16);
    wire[at + 2] = (byte) (ttl >>> 8);
    wire[at + 3] = (byte) ttl;
    try {
      return Record.fromWire(wire, Section.ANSWER);
    } catch (IOException e) { // rendered here a moment ago
      throw new UncheckedIOException(e);
    }
  }
}
