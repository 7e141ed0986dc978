package io.tierdns.interop.xfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.interop.support.KnotServer;
import io.tierdns.interop.support.PeerProcess;
import java.util.List;

/**
 * {@code interop/xfr/tierdns_knot}: Knot DNS 3.2 as a TSIG-signed secondary of tierdns. Knot logs
 * each transfer as {@code [diff.test.] AXFR|IXFR, incoming, remote 127.0.0.1@PORT, finished, ...}.
 */
class TierdnsKnotXfrIT extends XfrScenario {

  TierdnsKnotXfrIT() {
    super(KnotServer::secondaryOf, true);
  }

  @Override
  void assertTransfersWereIncremental(PeerProcess peer, int primaryPort, List<Long> serials) {
    String log = peer.fullLog();
    String ixfr = String.format(KnotServer.IXFR_IN_FINISHED, primaryPort);
    String axfr = ixfr.replace("IXFR", "AXFR");
    assertThat(count(log, axfr)).as("Knot AXFRs finished (only the first transfer)").isEqualTo(1);
    assertThat(count(log, ixfr)).as("Knot IXFRs finished, one per edit").isGreaterThanOrEqualTo(serials.size() - 1);
    assertThat(log).doesNotContain("fallback to AXFR");
  }
}
