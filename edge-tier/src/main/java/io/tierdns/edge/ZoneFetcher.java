package io.tierdns.edge;

import io.tierdns.authoritative.edit.ZoneDiff;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;

/**
 * How a subscription reads its upstream: the SOA query and the IXFR of RFC 1995. The network
 * implementation is {@link io.tierdns.edge.net.DnsZoneFetcher}; tests script one.
 */
public interface ZoneFetcher {

  /** The upstream's SOA for {@code zone}; fails the stage on timeout, network error or no SOA. */
  CompletionStage<SOARecord> soa(InetSocketAddress upstream, Name zone);

  /** An IXFR of {@code zone} from the version {@code from}; fails the stage on any error. */
  CompletionStage<IxfrResult> ixfr(InetSocketAddress upstream, Name zone, SOARecord from);

  /** What an IXFR brought. */
  sealed interface IxfrResult {
    /** The client was current: one SOA. */
    record UpToDate(SOARecord soa) implements IxfrResult {}

    /** Differences from the client's version to {@code soa}, oldest first. */
    record Incremental(List<ZoneDiff> diffs) implements IxfrResult {
      public Incremental {
        diffs = List.copyOf(diffs);
        if (diffs.isEmpty()) {
          throw new IllegalArgumentException("an incremental transfer has at least one difference");
        }
      }
    }

    /** The whole zone came instead (RFC 1995 §4, AXFR form): what changed is unknown. */
    record Full(SOARecord soa) implements IxfrResult {}
  }
}
