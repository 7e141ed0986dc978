package io.tierdns.edge.net;

import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.notify.NotifySender;
import io.tierdns.edge.DownstreamNotifier;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;

/**
 * NOTIFYs the subscribers of a zone with the authoritative module's {@link NotifySender} (retried
 * with backoff until acknowledged, bursts coalesced). The sender is given a stub snapshot holding
 * only the new SOA, which is all it reads.
 */
public final class NotifySenderDownstream implements DownstreamNotifier {

  private final NotifySender sender;

  /** @param sender a sender whose targets are the subscribers of each zone */
  public NotifySenderDownstream(NotifySender sender) {
    this.sender = Objects.requireNonNull(sender, "sender");
  }

  @Override
  public void changed(Name zone, SOARecord soa) {
    NSRecord ns = new NSRecord(soa.getName(), soa.getDClass(), soa.getTTL(), soa.getHost());
    sender.notifyNow(ZoneSnapshot.of(soa.getName(), List.of(soa, ns)));
  }
}
