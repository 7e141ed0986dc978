package io.tierdns.zonesync;

import io.tierdns.authoritative.notify.NotifyScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One zone's table of timed events: at most one planned time per {@link ZoneEvent}, one handler
 * per event, as Knot DNS's {@code zone_events_t}.
 *
 * <p>Design note. Planning an event replaces its earlier plan (so a NOTIFY that plans REFRESH
 * "now" overrides a REFRESH planned for tomorrow, but {@link #planEarlier} keeps whichever is
 * sooner). A timer firing does not run the handler itself: it hands it to the zone's serial lane
 * ({@code executor}), so the handlers of one zone never run concurrently and never on the timer
 * thread. A plan made again before its timer fires is told apart by a generation number: a stale
 * firing does nothing. Time comes from the {@link NotifyScheduler}, which tests drive by hand.
 */
public final class EventTable {

  private static final Logger log = LoggerFactory.getLogger(EventTable.class);

  private static final class Slot {
    Instant at;
    long generation;
    NotifyScheduler.Cancellable timer;
  }

  private final String zone;
  private final NotifyScheduler scheduler;
  private final Executor lane;
  private final Map<ZoneEvent, Runnable> handlers = new EnumMap<>(ZoneEvent.class);
  private final Map<ZoneEvent, Slot> slots = new EnumMap<>(ZoneEvent.class);
  private boolean closed;

  /**
   * @param zone for logs
   * @param scheduler time and timers
   * @param lane runs the handlers, one at a time, in order
   */
  public EventTable(String zone, NotifyScheduler scheduler, Executor lane) {
    this.zone = zone;
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.lane = Objects.requireNonNull(lane, "lane");
    for (ZoneEvent e : ZoneEvent.values()) {
      slots.put(e, new Slot());
    }
  }

  /** Sets the handler of an event (before planning it). */
  public synchronized EventTable on(ZoneEvent event, Runnable handler) {
    handlers.put(event, Objects.requireNonNull(handler, "handler"));
    return this;
  }

  /** Plans {@code event} at {@code at}, replacing any earlier plan of it. */
  public synchronized void plan(ZoneEvent event, Instant at) {
    if (closed) {
      return;
    }
    Slot s = slots.get(event);
    cancelTimer(s);
    s.at = at;
    long generation = ++s.generation;
    Duration delay = Duration.between(scheduler.now(), at);
    if (delay.isNegative()) {
      delay = Duration.ZERO;
    }
    s.timer = scheduler.schedule(() -> fire(event, generation), delay);
  }

  /** Plans {@code event} in {@code delay} from now. */
  public void planIn(ZoneEvent event, Duration delay) {
    plan(event, scheduler.now().plus(delay));
  }

  /** Plans {@code event} at {@code at} unless it is already planned sooner. */
  public synchronized void planEarlier(ZoneEvent event, Instant at) {
    Slot s = slots.get(event);
    if (s.at == null || at.isBefore(s.at)) {
      plan(event, at);
    }
  }

  /** Unplans an event. */
  public synchronized void cancel(ZoneEvent event) {
    Slot s = slots.get(event);
    cancelTimer(s);
    s.at = null;
    s.generation++;
  }

  /** When the event is planned, if it is. */
  public synchronized Optional<Instant> when(ZoneEvent event) {
    return Optional.ofNullable(slots.get(event).at);
  }

  /** Cancels every event; later plans are ignored. */
  public synchronized void close() {
    closed = true;
    for (ZoneEvent e : ZoneEvent.values()) {
      cancel(e);
    }
  }

  private void fire(ZoneEvent event, long generation) {
    synchronized (this) {
      if (closed || slots.get(event).generation != generation) {
        return;
      }
    }
    lane.execute(() -> run(event, generation));
  }

  private void run(ZoneEvent event, long generation) {
    Runnable handler;
    synchronized (this) {
      Slot s = slots.get(event);
      if (closed || s.generation != generation) {
        return; // planned again or cancelled while queued on the lane
      }
      s.at = null;
      s.timer = null;
      handler = handlers.get(event);
    }
    if (handler == null) {
      return;
    }
    try {
      handler.run();
    } catch (RuntimeException e) {
      // A handler decides the zone's next step itself; one that throws is a bug: log it once.
      log.error("zone={} event {} failed: {}", zone, event, e.toString(), e);
    }
  }

  private static void cancelTimer(Slot s) {
    if (s.timer != null) {
      s.timer.cancel();
      s.timer = null;
    }
  }
}
