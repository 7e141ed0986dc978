package io.tierdns.authoritative;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.xbill.DNS.Rcode;

/**
 * One counter per response code under one meter name ({@code authoritative.responses},
 * {@code update.requests}), registered on first use; a no-op without a registry.
 */
public final class RcodeCounters {

  private final MeterRegistry meters;
  private final String name;
  private final String description;
  private final AtomicReferenceArray<Counter> byRcode = new AtomicReferenceArray<>(16);

  /**
   * @param meters where the counters go, or {@code null} for none
   */
  public RcodeCounters(MeterRegistry meters, String name, String description) {
    this.meters = meters;
    this.name = name;
    this.description = description;
  }

  /** Counts one response with {@code rcode} (the header's 4 bits). */
  public void increment(int rcode) {
    if (meters == null) {
      return;
    }
    int slot = rcode & 0xF;
    Counter c = byRcode.get(slot);
    if (c == null) {
      // Registration is idempotent: a race registers the same counter twice, harmlessly.
      c = Counter.builder(name).description(description).tag("rcode", Rcode.string(slot)).register(meters);
      byRcode.set(slot, c);
    }
    c.increment();
  }
}
