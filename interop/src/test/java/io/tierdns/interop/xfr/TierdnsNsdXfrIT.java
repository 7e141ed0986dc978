package io.tierdns.interop.xfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.interop.support.Dig;
import io.tierdns.interop.support.NsdServer;
import io.tierdns.interop.support.PeerProcess;
import java.util.List;

/**
 * {@code interop/xfr/tierdns_nsd}: NSD 4.6 as an unsigned secondary of tierdns (transfer ACL by
 * address). NSD logs {@code xfrd: zone Z committed "received update to serial N ..."} for every
 * transfer but not its type; it keeps the IXFRs it received ({@code store-ixfr}), so an IXFR
 * from the first serial, asked of NSD, comes back incremental only if every transfer after the
 * first was an IXFR (an AXFR drops NSD's stored differences).
 */
class TierdnsNsdXfrIT extends XfrScenario {

  TierdnsNsdXfrIT() {
    super(NsdServer::secondaryOf, false);
  }

  @Override
  void assertTransfersWereIncremental(PeerProcess peer, int primaryPort, List<Long> serials) {
    String log = peer.fullLog();
    for (long serial : serials.subList(1, serials.size())) {
      assertThat(log).as("NSD committed serial %d", serial)
          .contains(String.format(NsdServer.COMMITTED, ZONE, serial));
    }
    Dig.Result ixfr = Dig.dig(peer.port()).run("+nocmd", "+nostats", "+time=5", "+tries=1", "+tcp",
        ZONE, "IXFR=" + serials.get(0));
    // an incremental answer is SOA(new), SOA(old), ...: the second record is a SOA again
    List<String> records = ixfr.output().lines().filter(l -> !l.isBlank() && !l.startsWith(";")).toList();
    assertThat(records).as("NSD's IXFR answer from serial %d:\n%s", serials.get(0), ixfr).hasSizeGreaterThan(2);
    assertThat(records.get(1)).as("second record of NSD's IXFR answer (SOA = incremental):\n%s", ixfr)
        .containsPattern("\\sSOA\\s").contains(" " + serials.get(0) + " ");
  }
}
