package io.tierdns.interop.answers;

import io.tierdns.interop.support.KnotServer;
import io.tierdns.interop.support.PeerProcess;
import io.tierdns.interop.support.TierdnsServer;
import java.nio.file.Path;
import java.util.Map;

/** {@code interop/answers/tierdns_knot}: tierdns's authoritative answers against Knot DNS 3.2. */
class TierdnsKnotAnswersIT extends AnswersScenario {

  @Override
  PeerProcess serverA(Map<String, Path> zones) {
    return new TierdnsServer(zones);
  }

  @Override
  PeerProcess serverB(Map<String, Path> zones) {
    return new KnotServer(zones);
  }
}
