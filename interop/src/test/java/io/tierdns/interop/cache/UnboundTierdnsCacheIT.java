package io.tierdns.interop.cache;

import io.tierdns.interop.support.CacheNode;
import io.tierdns.interop.support.NsdServer;
import io.tierdns.interop.support.PeerProcess;
import io.tierdns.interop.support.UnboundServer;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code interop/cache/unbound_tierdns}: Unbound forwarding every name to a tierdns cache, which
 * forwards to NSD serving the generated zones. Answers through Unbound must match NSD's direct
 * answers except for TTLs (and AA/RA, authority NS and additional data, see
 * {@link CachedAnswer}); see {@link CacheAnswersScenario}.
 */
class UnboundTierdnsCacheIT extends CacheAnswersScenario {

  @Override
  PeerProcess upstream(Map<String, Path> zones) {
    return new NsdServer(zones);
  }

  @Override
  PeerProcess front(Map<String, Path> zones, CacheNode cache) {
    return new UnboundServer(zones, cache.port());
  }
}
