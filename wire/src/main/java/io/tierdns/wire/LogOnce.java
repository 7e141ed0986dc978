package io.tierdns.wire;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Logs the first failure of each exception class at WARN with its stack trace and later ones at
 * DEBUG, so a misbehaving client or handler cannot flood the log.
 */
final class LogOnce {

  private final Logger log;
  private final Set<Class<?>> seen = ConcurrentHashMap.newKeySet();

  LogOnce(Logger log) {
    this.log = log;
  }

  void log(String what, Throwable cause) {
    if (seen.add(cause.getClass())) {
      log.warn("{} (further {} are logged at DEBUG)", what, cause.getClass().getName(), cause);
    } else if (log.isDebugEnabled()) {
      log.debug("{}: {}", what, cause.toString());
    }
  }
}
