package io.tierdns.interop.support;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Bounded polling for the interop tests, which watch real processes and so cannot move a fake
 * clock: every wait has a deadline and fails with what it last saw.
 */
public final class Await {

  private Await() {}

  /** Polls {@code probe} every 50 ms until it returns true; fails after {@code timeout}. */
  public static void until(Duration timeout, Supplier<String> what, Supplier<Boolean> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!probe.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what.get());
      }
      pause(50);
    }
  }

  /** The SOA serial 127.0.0.1:{@code port} answers for {@code zone} over UDP, if it answers. */
  public static OptionalLong soaSerial(int port, String zone) {
    try (DnsClient client = new DnsClient(port, 500)) {
      Optional<Message> answer = client.udp(DnsClient.query(zone, Type.SOA));
      if (answer.isEmpty() || answer.get().getRcode() != Rcode.NOERROR) {
        return OptionalLong.empty();
      }
      for (Record record : answer.get().getSection(Section.ANSWER)) {
        if (record instanceof SOARecord soa) {
          return OptionalLong.of(soa.getSerial());
        }
      }
      return OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /** Waits until {@code peer} answers SOA for {@code zone} with exactly {@code serial}. */
  public static Duration serial(PeerProcess peer, String zone, long serial, Duration timeout) {
    long start = System.nanoTime();
    OptionalLong[] last = {OptionalLong.empty()};
    until(timeout, () -> peer + " to answer SOA " + zone + " with serial " + serial + " (last: "
        + (last[0].isPresent() ? last[0].getAsLong() : "no answer") + ")", () -> {
          last[0] = soaSerial(peer.port(), zone);
          return last[0].isPresent() && last[0].getAsLong() == serial;
        });
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** {@link Thread#sleep} that turns an interrupt into an unchecked failure. */
  public static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
