package io.tierdns.authoritative;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The outcome of one RFC 1034 §4.3.2 lookup in one zone. DNS outcomes are values: NXDOMAIN and
 * NODATA are results like an answer. Record lists are shared with the snapshot and unmodifiable.
 *
 * @see ZoneLookup
 */
public sealed interface LookupResult {

  /** What a result is, for a {@code switch}. */
  enum Kind {
    ANSWER,
    CNAME,
    REFERRAL,
    NXDOMAIN,
    NODATA
  }

  Kind kind();

  /**
   * Data of the queried type at the qname (for QTYPE ANY: every RRset at the name, by type).
   *
   * @param records the answer; owners are the qname when {@code wildcard}
   * @param wildcard synthesised from {@code *.<closest encloser>} (RFC 4592 §3.3.1)
   */
  record Answer(List<Record> records, boolean wildcard) implements LookupResult {
    @Override
    public Kind kind() {
      return Kind.ANSWER;
    }
  }

  /**
   * The qname is an alias; the caller restarts the lookup at {@code target} (RFC 1034 §4.3.2 3a).
   *
   * @param cname the CNAME record, owner = qname (synthesised when {@code wildcard})
   */
  record Cname(Record cname, Name target, boolean wildcard) implements LookupResult {
    @Override
    public Kind kind() {
      return Kind.CNAME;
    }
  }

  /**
   * The qname is at or below a zone cut: not authoritative data (RFC 1034 §4.3.2 3b).
   *
   * @param cut the delegation point, the topmost cut above or at the qname
   * @param ns the NS RRset at the cut, for the authority section
   * @param glue A/AAAA records of the NS targets held in this zone, for the additional section
   */
  record Referral(Name cut, List<Record> ns, List<Record> glue) implements LookupResult {
    @Override
    public Kind kind() {
      return Kind.REFERRAL;
    }
  }

  /** The name does not exist and no wildcard covers it (RFC 1034 §4.3.2 3c, RFC 4592 §4). */
  record NxDomain() implements LookupResult {
    @Override
    public Kind kind() {
      return Kind.NXDOMAIN;
    }
  }

  /**
   * The name exists (or a wildcard matches) but has no data of the queried type (RFC 2308 §2.2).
   *
   * @param wildcard the name matched a wildcard that has no data of that type
   */
  record NoData(boolean wildcard) implements LookupResult {
    @Override
    public Kind kind() {
      return Kind.NODATA;
    }
  }
}
