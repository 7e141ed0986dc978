package io.tierdns.wire.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link DnsClient}.
 *
 * @param timeout how long one exchange (connect, send, answer) may take
 * @param ioThreads event loop threads of the client's own group
 */
public record DnsClientOptions(Duration timeout, int ioThreads) {

  public DnsClientOptions {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    if (ioThreads < 1) {
      throw new IllegalArgumentException("ioThreads must be at least 1, got " + ioThreads);
    }
  }

  /** Timeout 2 s, one io thread. */
  public static DnsClientOptions defaults() {
    return new DnsClientOptions(Duration.ofSeconds(2), 1);
  }

  public DnsClientOptions withTimeout(Duration value) {
    return new DnsClientOptions(value, ioThreads);
  }
}
