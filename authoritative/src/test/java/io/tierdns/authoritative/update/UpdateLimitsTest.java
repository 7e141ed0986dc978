package io.tierdns.authoritative.update;

import static io.tierdns.authoritative.update.UpdateTesting.ZONE;
import static io.tierdns.authoritative.update.UpdateTesting.example;
import static io.tierdns.authoritative.update.UpdateTesting.rr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tierdns.authoritative.ZoneRegistry;
import io.tierdns.authoritative.ZoneSnapshot;
import io.tierdns.authoritative.update.UpdatePolicy.Grant;
import io.tierdns.authoritative.update.UpdatePolicy.Match;
import io.tierdns.wire.QueryContext;
import io.tierdns.wire.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Update;

/** The limit on RRs per UPDATE message ({@code tierdns.authoritative.update-max-records}). */
class UpdateLimitsTest {

  final ZoneRegistry registry = new ZoneRegistry();
  final InMemoryZoneWriter writer = new InMemoryZoneWriter(registry);
  final UpdatePolicy policy =
      new UpdatePolicy(List.of(new Grant(null, Match.ZONE, null, Set.of())), List.of(Network.parse("127.0.0.0/8")));

  UpdateHandler handler(int maxRecords) {
    return new UpdateHandler(
        registry, writer, z -> z.equals(ZONE) ? Optional.of(policy) : Optional.empty(),
        UpdateKeys.none(), Clock.systemUTC(), Runnable::run, null, maxRecords);
  }

  static Message adds(int n) throws IOException {
    Update u = new Update(ZONE);
    for (int i = 0; i < n; i++) {
      u.add(rr("n" + i + " 300 A 192.0.2." + (i % 250)));
    }
    return new Message(u.toWire());
  }

  int rcode(UpdateHandler h, Message m) {
    return h.respond(m, new QueryContext(
        Transport.TCP, new InetSocketAddress("127.0.0.1", 4000), new InetSocketAddress("127.0.0.1", 53)))
        .getHeader().getRcode();
  }

  @Test
  void anUpdateWithMoreRecordsThanTheLimitIsRefusedAndChangesNothing() throws IOException {
    ZoneSnapshot before = example();
    registry.put(before);
    assertThat(rcode(handler(10), adds(11))).isEqualTo(Rcode.REFUSED);
    assertThat(registry.zone(ZONE)).containsSame(before);
    assertThat(writer.commits()).isEmpty();
  }

  @Test
  void prerequisitesCountTowardsTheLimit() throws IOException {
    registry.put(example());
    Update u = new Update(ZONE);
    u.present(UpdateTesting.name("www"));
    u.add(rr("new 300 A 192.0.2.1"));
    assertThat(rcode(handler(1), new Message(u.toWire()))).isEqualTo(Rcode.REFUSED);
    assertThat(rcode(handler(2), new Message(u.toWire()))).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void anUpdateAtTheLimitIsApplied() throws IOException {
    registry.put(example());
    assertThat(rcode(handler(10), adds(10))).isEqualTo(Rcode.NOERROR);
    assertThat(registry.zone(ZONE).orElseThrow().serial()).isEqualTo(example().serial() + 1);
  }

  @Test
  void theDefaultLimitIsAThousandRecords() throws IOException {
    registry.put(example());
    UpdateHandler byDefault =
        new UpdateHandler(registry, writer, z -> Optional.of(policy), UpdateKeys.none(), Clock.systemUTC(), Runnable::run, null);
    assertThat(UpdateHandler.DEFAULT_MAX_RECORDS).isEqualTo(1000);
    assertThat(rcode(byDefault, adds(1001))).isEqualTo(Rcode.REFUSED);
    assertThat(rcode(byDefault, adds(1000))).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void aLimitBelowOneIsAConfigurationError() {
    assertThatThrownBy(() -> handler(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
