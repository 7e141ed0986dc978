package io.tierdns.zonesync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

class ZonemdTest {

  static final Name EXAMPLE = Name.fromConstantString("example.");

  /** RFC 8976 Appendix A.1, the simple example zone. */
  static final String A1 =
      String.join(
          "\n",
          "example.      86400  IN  SOA     ns1 admin 2018031900 1800 900 604800 86400",
          "              86400  IN  NS      ns1",
          "              86400  IN  NS      ns2",
          "              86400  IN  ZONEMD  2018031900 1 1 c68090d90a7aed716bc459f9340e3d7c1370d4d24b7e2fc3a1ddc0b9a87153b9a9713b3c9ae5cc27777f98b8e730044c",
          "ns1           3600   IN  A       203.0.113.63",
          "ns2           3600   IN  AAAA    2001:db8::63",
          "");

  @Test
  void theDigestOfTheRfc8976SimpleExampleZoneIsTheOnePublished() {
    List<Record> zone = Zones.parse(EXAMPLE, A1);
    assertThat(Zonemd.sha384Hex(EXAMPLE, zone))
        .isEqualTo("c68090d90a7aed716bc459f9340e3d7c1370d4d24b7e2fc3a1ddc0b9a87153b9a9713b3c9ae5cc27777f98b8e730044c");
    assertThat(Zonemd.verify(EXAMPLE, zone)).isEqualTo(Zonemd.Verification.VERIFIED);
  }

  @Test
  void recordOrderAndDuplicatesDoNotChangeTheDigest() {
    List<Record> zone = new ArrayList<>(Zones.parse(EXAMPLE, A1));
    String before = Zonemd.sha384Hex(EXAMPLE, zone);
    java.util.Collections.reverse(zone);
    zone.add(zone.get(0));
    assertThat(Zonemd.sha384Hex(EXAMPLE, zone)).isEqualTo(before);
  }

  @Test
  void ofDuplicatesDifferingInTtlTheFirstGivenIsDigestedAsBefore() {
    List<Record> zone = new ArrayList<>(Zones.parse(EXAMPLE, A1 + "dup 300 IN A 192.0.2.5\ndup 600 IN A 192.0.2.5\nDUP 900 IN A 192.0.2.5\n"));
    java.util.Collections.shuffle(zone, new java.util.Random(7));
    assertThat(Zonemd.sha384Hex(EXAMPLE, zone)).isEqualTo(reference(zone));
    java.util.Collections.reverse(zone);
    assertThat(Zonemd.sha384Hex(EXAMPLE, zone)).isEqualTo(reference(zone));
  }

  /** The digest as computed before the hash set was dropped: first occurrence kept, then sorted. */
  static String reference(List<Record> records) {
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-384");
      List<Record> included = new ArrayList<>();
      for (Record r : new java.util.LinkedHashSet<>(records)) {
        if (!(r.getName().equals(EXAMPLE) && r.getType() == org.xbill.DNS.Type.ZONEMD)) {
          included.add(r);
        }
      }
      included.sort(null);
      for (Record r : included) {
        md.update(r.toWireCanonical());
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aChangedRecordIsAMismatch() {
    String edited = A1.replace("203.0.113.63", "203.0.113.64");
    assertThat(Zonemd.verify(EXAMPLE, Zones.parse(EXAMPLE, edited))).isEqualTo(Zonemd.Verification.MISMATCH);
  }

  @Test
  void aZonemdForAnotherSerialIsAMismatch() {
    String edited = A1.replace("ZONEMD  2018031900", "ZONEMD  2018031901");
    assertThat(Zonemd.verify(EXAMPLE, Zones.parse(EXAMPLE, edited))).isEqualTo(Zonemd.Verification.MISMATCH);
  }

  @Test
  void anUnknownSchemeCannotBeCheckedAndAZoneWithoutZonemdIsAbsent() {
    String unknown = A1.replace("ZONEMD  2018031900 1 1", "ZONEMD  2018031900 240 1");
    assertThat(Zonemd.verify(EXAMPLE, Zones.parse(EXAMPLE, unknown))).isEqualTo(Zonemd.Verification.UNSUPPORTED);
    String none = A1.lines().filter(l -> !l.contains("ZONEMD")).reduce("", (a, b) -> a + b + "\n");
    assertThat(Zonemd.verify(EXAMPLE, Zones.parse(EXAMPLE, none))).isEqualTo(Zonemd.Verification.ABSENT);
  }

  @Test
  void aVersionIsVerifiedFromItsApexAsFromAllItsRecords() {
    String edited = A1.replace("203.0.113.63", "203.0.113.64");
    String none = A1.lines().filter(l -> !l.contains("ZONEMD")).reduce("", (a, b) -> a + b + "\n");
    for (String text : List.of(A1, edited, none)) {
      List<Record> records = Zones.parse(EXAMPLE, text);
      io.tierdns.authoritative.ZoneSnapshot version = io.tierdns.authoritative.ZoneSnapshot.of(EXAMPLE, records);
      assertThat(Zonemd.verify(version)).isEqualTo(Zonemd.verify(EXAMPLE, records));
    }
    assertThat(Zonemd.verify(io.tierdns.authoritative.ZoneSnapshot.of(EXAMPLE, Zones.parse(EXAMPLE, A1))))
        .isEqualTo(Zonemd.Verification.VERIFIED);
  }
}
