package io.tierdns.authoritative.edit;

import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Name;

/** The journal as IXFR reads it. */
public interface ZoneHistory {

  /**
   * The chain of diffs from {@code serial} to the current version, oldest first; an empty list
   * when {@code serial} is current; {@link Optional#empty()} when the journal does not reach back
   * to {@code serial} (the caller then sends the whole zone, RFC 1995 §2).
   */
  Optional<List<ZoneDiff>> diffsSince(Name zone, long serial);
}
