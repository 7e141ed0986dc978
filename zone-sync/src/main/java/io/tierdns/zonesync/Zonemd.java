package io.tierdns.zonesync;

import io.tierdns.authoritative.ZoneSnapshot;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneMDRecord;

/**
 * Message digests over zone data, ZONEMD (RFC 8976): computing the SIMPLE-scheme digest of a zone
 * version and verifying a zone's own ZONEMD record. Pure.
 *
 * <p>The SIMPLE scheme (§3.3): every record of the zone except the apex ZONEMD RRset and the
 * RRSIGs covering it, duplicates removed, in canonical order (owner name, class, type, RDATA in
 * canonical form, RFC 4034 §6), each in canonical wire form (§6.2: names lower-cased and
 * uncompressed, the original TTL), concatenated and hashed with SHA-384 (1) or SHA-512 (2).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8976#section-3">RFC 8976 §3</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8976#section-4">RFC 8976 §4</a>
 */
public final class Zonemd {

  /** Scheme SIMPLE. */
  public static final int SCHEME_SIMPLE = 1;

  /** Hash algorithm SHA-384. */
  public static final int SHA384 = 1;

  /** Hash algorithm SHA-512. */
  public static final int SHA512 = 2;

  /** The outcome of {@link #verify}. */
  public enum Verification {
    /** The zone has no ZONEMD record at its apex. */
    ABSENT,
    /** It has one, but none with a scheme and algorithm we support: nothing to check (§4). */
    UNSUPPORTED,
    /** A supported ZONEMD matches the zone. */
    VERIFIED,
    /** Supported ZONEMD records exist and none matches (or none has the SOA's serial). */
    MISMATCH
  }

  private Zonemd() {}

  /** The SHA-384 SIMPLE digest of a zone, lower-case hex. */
  public static String sha384Hex(Name origin, Collection<Record> records) {
    return HexFormat.of().formatHex(digest(origin, records, SHA384));
  }

  /**
   * The SIMPLE-scheme digest of a zone.
   *
   * @param origin the apex
   * @param records the zone's records in any order
   * @param algorithm {@link #SHA384} or {@link #SHA512}
   */
  public static byte[] digest(Name origin, Collection<Record> records, int algorithm) {
    MessageDigest md = messageDigest(algorithm);
    List<Record> included = new ArrayList<>(records.size());
    for (Record r : records) {
      if (!excluded(origin, r) && r.getName().subdomain(origin)) {
        included.add(r);
      }
    }
    // Record.compareTo: name (canonical), class, type, canonical RDATA; 0 exactly when equals()
    // (which ignores the TTL). The sort is stable, so duplicates end up next to each other with
    // the first given first, and that one is digested: no hash set, whose hashCode encodes every
    // record once more (a zone's records() come sorted, and sorting a sorted list is one pass).
    included.sort(null);
    Record previous = null;
    for (Record r : included) {
      if (previous != null && previous.compareTo(r) == 0) {
        continue;
      }
      md.update(r.toWireCanonical());
      previous = r;
    }
    return md.digest();
  }

  /** Verifies the zone's ZONEMD records against its data (RFC 8976 §4). */
  public static Verification verify(Name origin, Collection<Record> records) {
    return verify(origin, records, records);
  }

  /**
   * Verifies a version's ZONEMD records against its data (RFC 8976 §4), its apex records given
   * apart: a version without a ZONEMD (most) is then told in the time of its apex, not of a pass
   * over every record (3-6 ms per IXFR to a million-record zone).
   */
  public static Verification verify(ZoneSnapshot zone) {
    return verify(zone.origin(), zone.recordsAt(zone.origin()), zone.records());
  }

  private static Verification verify(Name origin, Collection<Record> apex, Collection<Record> records) {
    List<ZoneMDRecord> zonemds = new ArrayList<>();
    SOARecord soa = null;
    for (Record r : apex) {
      if (r.getName().equals(origin)) {
        if (r instanceof ZoneMDRecord z) {
          zonemds.add(z);
        } else if (r instanceof SOARecord s) {
          soa = s;
        }
      }
    }
    if (zonemds.isEmpty()) {
      return Verification.ABSENT;
    }
    boolean supported = false;
    byte[] sha384 = null;
    byte[] sha512 = null;
    for (ZoneMDRecord z : zonemds) {
      if (z.getScheme() != SCHEME_SIMPLE || (z.getHashAlgorithm() != SHA384 && z.getHashAlgorithm() != SHA512)) {
        continue;
      }
      supported = true;
      if (soa == null || z.getSerial() != soa.getSerial()) {
        continue; // §4 step 5: a ZONEMD for another serial says nothing about this version
      }
      byte[] ours;
      if (z.getHashAlgorithm() == SHA384) {
        ours = sha384 == null ? (sha384 = digest(origin, records, SHA384)) : sha384;
      } else {
        ours = sha512 == null ? (sha512 = digest(origin, records, SHA512)) : sha512;
      }
      if (MessageDigest.isEqual(ours, z.getDigest())) {
        return Verification.VERIFIED;
      }
    }
    return supported ? Verification.MISMATCH : Verification.UNSUPPORTED;
  }

  private static boolean excluded(Name origin, Record r) {
    if (!r.getName().equals(origin)) {
      return false;
    }
    if (r.getType() == Type.ZONEMD) {
      return true;
    }
    return r instanceof RRSIGRecord sig && sig.getTypeCovered() == Type.ZONEMD;
  }

  private static MessageDigest messageDigest(int algorithm) {
    String name =
        switch (algorithm) {
          case SHA384 -> "SHA-384";
          case SHA512 -> "SHA-512";
          default -> throw new IllegalArgumentException("unsupported ZONEMD hash algorithm " + algorithm);
        };
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(name + " is not available", e);
    }
  }
}
