package io.tierdns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * A TTL above 2^31 - 1 (RFC 2181 §8) can only arrive from the wire, where dnsjava does not check
 * it; a zone holding one is invalid. Found by {@code TransferResponseFuzzTest} (docs/fuzzing.md):
 * a transferred SOA with TTL 4278193680 was served, and copying it later threw.
 */
class ZoneSnapshotTtlTest {

  private static final Name ZONE = Name.fromConstantString("example.test.");
  private static final Name NS1 = Name.fromConstantString("ns1.example.test.");

  /** An A record as a primary could send it: TTL field 0xFF000E10. */
  static Record fromWireWithTtl(long ttl) throws IOException {
    byte[] name = new ARecord(NS1, DClass.IN, 0, new byte[] {(byte) 192, 0, 2, 1}).toWire(Section.ANSWER);
    ByteBuffer b = ByteBuffer.wrap(name);
    int ttlAt = NS1.toWire().length + 4;
    b.putInt(ttlAt, (int) ttl);
    return Record.fromWire(name, Section.ANSWER);
  }

  @Test
  void aRecordWithATtlAboveTwoToTheThirtyOneIsAnInvalidZone() throws IOException {
    Record huge = fromWireWithTtl(0xFF000E10L);
    assertThat(huge.getTTL()).isEqualTo(0xFF000E10L);
    List<Record> records =
        List.of(
            new SOARecord(ZONE, DClass.IN, 3600, NS1, NS1, 1, 3600, 600, 86400, 300),
            new NSRecord(ZONE, DClass.IN, 3600, NS1),
            huge);
    assertThatThrownBy(() -> ZoneSnapshot.of(ZONE, records))
        .isInstanceOf(ZoneException.class)
        .hasMessageContaining("RFC 2181");
  }

  @Test
  void theLargestValidTtlIsAccepted() throws IOException {
    List<Record> records =
        List.of(
            new SOARecord(ZONE, DClass.IN, 3600, NS1, NS1, 1, 3600, 600, 86400, 300),
            new NSRecord(ZONE, DClass.IN, 3600, NS1),
            fromWireWithTtl(0x7FFFFFFFL));
    assertThat(ZoneSnapshot.of(ZONE, records).size()).isEqualTo(3);
  }
}
