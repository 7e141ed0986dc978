package io.tierdns.interop.answers;

import io.tierdns.interop.support.NsdServer;
import io.tierdns.interop.support.PeerProcess;
import io.tierdns.interop.support.TierdnsServer;
import java.nio.file.Path;
import java.util.Map;

/** {@code interop/answers/tierdns_nsd}: tierdns's authoritative answers against NSD 4.6. */
class TierdnsNsdAnswersIT extends AnswersScenario {

  @Override
  PeerProcess serverA(Map<String, Path> zones) {
    return new TierdnsServer(zones);
  }

  @Override
  PeerProcess serverB(Map<String, Path> zones) {
    return new NsdServer(zones);
  }
}
