package io.tierdns.zonesync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTableTest {

  final FakeScheduler clock = new FakeScheduler();
  final List<String> ran = new ArrayList<>();
  final EventTable table =
      new EventTable("z", clock, new SerialLane(Runnable::run))
          .on(ZoneEvent.REFRESH, () -> ran.add("refresh@" + clock.now().getEpochSecond() % 10000))
          .on(ZoneEvent.EXPIRE, () -> ran.add("expire"));

  @Test
  void planningAnEventAgainReplacesItsEarlierPlan() {
    table.planIn(ZoneEvent.REFRESH, Duration.ofSeconds(100));
    table.planIn(ZoneEvent.REFRESH, Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(200));
    assertThat(ran).hasSize(1);
    assertThat(table.when(ZoneEvent.REFRESH)).isEmpty();
  }

  @Test
  void planEarlierKeepsTheSoonerPlan() {
    table.planIn(ZoneEvent.REFRESH, Duration.ofSeconds(10));
    table.planEarlier(ZoneEvent.REFRESH, clock.now().plusSeconds(100));
    assertThat(table.when(ZoneEvent.REFRESH)).contains(clock.now().plusSeconds(10));
  }

  @Test
  void aCancelledOrClosedEventNeverRuns() {
    table.planIn(ZoneEvent.REFRESH, Duration.ofSeconds(10));
    table.planIn(ZoneEvent.EXPIRE, Duration.ofSeconds(10));
    table.cancel(ZoneEvent.REFRESH);
    clock.advance(Duration.ofSeconds(20));
    assertThat(ran).containsExactly("expire");
    table.close();
    table.planIn(ZoneEvent.EXPIRE, Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(20));
    assertThat(ran).containsExactly("expire");
  }

  @Test
  void aHandlerThatThrowsDoesNotStopTheTable() {
    EventTable t = new EventTable("z", clock, new SerialLane(Runnable::run)).on(ZoneEvent.FLUSH, () -> {
      throw new IllegalStateException("boom");
    }).on(ZoneEvent.AUDIT, () -> ran.add("audit"));
    t.planIn(ZoneEvent.FLUSH, Duration.ZERO);
    t.planIn(ZoneEvent.AUDIT, Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    assertThat(ran).containsExactly("audit");
  }
}
