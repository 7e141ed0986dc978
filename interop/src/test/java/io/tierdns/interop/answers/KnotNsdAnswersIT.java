package io.tierdns.interop.answers;

import io.tierdns.interop.support.KnotServer;
import io.tierdns.interop.support.NsdServer;
import io.tierdns.interop.support.PeerProcess;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code interop/answers/knot_nsd}: the harness checked on two reference servers. If Knot DNS
 * and NSD disagree outside the allow-list, the comparison or the zone is wrong, not tierdns.
 */
class KnotNsdAnswersIT extends AnswersScenario {

  @Override
  PeerProcess serverA(Map<String, Path> zones) {
    return new KnotServer(zones);
  }

  @Override
  PeerProcess serverB(Map<String, Path> zones) {
    return new NsdServer(zones);
  }
}
