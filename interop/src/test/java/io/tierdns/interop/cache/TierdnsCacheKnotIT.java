package io.tierdns.interop.cache;

import io.tierdns.interop.support.KnotServer;
import io.tierdns.interop.support.PeerProcess;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code interop/cache/tierdns_knot}: a tierdns cache forwarding to Knot DNS that serves the
 * generated zones; see {@link CacheAnswersScenario}.
 */
class TierdnsCacheKnotIT extends CacheAnswersScenario {

  @Override
  PeerProcess upstream(Map<String, Path> zones) {
    return new KnotServer(zones);
  }
}
