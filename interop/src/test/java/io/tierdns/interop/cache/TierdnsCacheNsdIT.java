package io.tierdns.interop.cache;

import io.tierdns.interop.support.NsdServer;
import io.tierdns.interop.support.PeerProcess;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code interop/cache/tierdns_nsd}: a tierdns cache forwarding to NSD that serves the
 * generated zones; see {@link CacheAnswersScenario}.
 */
class TierdnsCacheNsdIT extends CacheAnswersScenario {

  @Override
  PeerProcess upstream(Map<String, Path> zones) {
    return new NsdServer(zones);
  }
}
