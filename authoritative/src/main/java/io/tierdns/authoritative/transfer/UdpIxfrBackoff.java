package io.tierdns.authoritative.transfer;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which upstreams to ask an IXFR over UDP (RFC 1995 §2): all of them, except one that left such a
 * query unanswered (lost, or UDP filtered), which is asked over TCP only for {@link #PERIOD}. Used
 * by secondaries and subscribed caches alike. Thread-safe.
 */
public final class UdpIxfrBackoff {

  /** How long an upstream that did not answer an IXFR over UDP is asked over TCP only. */
  public static final Duration PERIOD = Duration.ofMinutes(10);

  /** Per upstream, until when (System.nanoTime) not to try UDP. */
  private final Map<InetSocketAddress, Long> until = new ConcurrentHashMap<>();

  /** Whether to ask {@code upstream} over UDP now. */
  public boolean udp(InetSocketAddress upstream) {
    Long skip = until.get(upstream);
    return skip == null || System.nanoTime() - skip > 0;
  }

  /** {@code upstream} answered over UDP (whole or not): keep asking it over UDP. */
  public void answered(InetSocketAddress upstream) {
    until.remove(upstream);
  }

  /** {@code upstream} left a UDP IXFR unanswered: TCP only for {@link #PERIOD}. */
  public void unanswered(InetSocketAddress upstream) {
    until.put(upstream, System.nanoTime() + PERIOD.toNanos());
  }
}
