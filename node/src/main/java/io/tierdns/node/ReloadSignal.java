package io.tierdns.node;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** SIGHUP reloads every zone file, as operators expect from NSD, Knot and BIND. */
final class ReloadSignal {

  private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

  private ReloadSignal() {}

  static void install(AuthoritativeRole role) {
    try {
      Signal.handle(
          new Signal("HUP"),
          signal -> {
            LOG.info("SIGHUP: reloading zones");
            // The handler thread must not die on a bad zone file; reload reports its own errors.
            try {
              role.reload();
            } catch (RuntimeException e) {
              LOG.error("reload failed: {}", e.toString());
            }
          });
    } catch (IllegalArgumentException e) {
      LOG.warn("SIGHUP reload not available on this platform: {}", e.getMessage());
    }
  }
}
