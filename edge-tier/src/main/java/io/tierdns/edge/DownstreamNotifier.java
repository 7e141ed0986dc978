package io.tierdns.edge;

import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;

/**
 * Tells the caches subscribed to this one that a zone changed (RFC 1996 NOTIFY). The network
 * implementation is {@link io.tierdns.edge.net.NotifySenderDownstream}.
 */
@FunctionalInterface
public interface DownstreamNotifier {

  /** None: a cache at the bottom of the chain. */
  DownstreamNotifier NONE = (zone, soa) -> {};

  /** The zone is now at {@code soa}; NOTIFY every subscriber of it (retried until acknowledged). */
  void changed(Name zone, SOARecord soa);
}
