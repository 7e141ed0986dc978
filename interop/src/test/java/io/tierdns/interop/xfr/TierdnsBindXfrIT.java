package io.tierdns.interop.xfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.interop.support.BindServer;
import io.tierdns.interop.support.PeerProcess;
import java.util.List;

/**
 * {@code interop/xfr/tierdns_bind}: BIND 9.18 as a TSIG-signed secondary of tierdns. BIND says
 * {@code got incremental response} (debug 3) for each IXFR answered with differences and
 * {@code Transfer status: success} for every transfer.
 */
class TierdnsBindXfrIT extends XfrScenario {

  TierdnsBindXfrIT() {
    super(BindServer::secondaryOf, true);
  }

  @Override
  void assertTransfersWereIncremental(PeerProcess peer, int primaryPort, List<Long> serials) {
    String log = peer.fullLog();
    assertThat(count(log, BindServer.TRANSFER_SUCCESS)).as("BIND successful transfers").isGreaterThanOrEqualTo(serials.size());
    assertThat(count(log, BindServer.INCREMENTAL)).as("BIND incremental responses, one per edit")
        .isGreaterThanOrEqualTo(serials.size() - 1);
    assertThat(count(log, BindServer.NONINCREMENTAL)).as("BIND nonincremental responses (only the first AXFR)")
        .isLessThanOrEqualTo(1);
  }
}
