package io.tierdns.cache;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Identical questions in flight share one upstream query: the first caller for a key starts the
 * work, later callers join it until it completes (what Unbound calls the mesh, BIND "clients per
 * query"). This also keeps a burst of misses on one name from becoming a burst upstream, the
 * "birthday attack" surface of RFC 5452 §5.
 *
 * <p>The work is started outside the map's lock, so work that completes synchronously cannot
 * re-enter the map while it is being updated.
 *
 * @param <K> the question key
 * @param <V> the result
 */
public final class Coalescer<K, V> {

  private final Map<K, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();

  /** A joined or started flight. */
  public record Flight<V>(CompletionStage<V> result, boolean started) {}

  /**
   * Joins the flight for {@code key}, starting it with {@code work} when there is none.
   *
   * @return the shared result (callers cannot complete it) and whether this call started it
   */
  public Flight<V> join(K key, Supplier<? extends CompletionStage<V>> work) {
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> existing = inFlight.putIfAbsent(key, mine);
    if (existing != null) {
      return new Flight<>(existing.minimalCompletionStage(), false);
    }
    mine.whenComplete((v, e) -> inFlight.remove(key, mine));
    CompletionStage<V> stage;
    try {
      stage = work.get();
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      return new Flight<>(mine.minimalCompletionStage(), true);
    }
    stage.whenComplete(
        (v, e) -> {
          if (e != null) {
            mine.completeExceptionally(e);
          } else {
            mine.complete(v);
          }
        });
    return new Flight<>(mine.minimalCompletionStage(), true);
  }

  /** Questions currently in flight. */
  public int inFlight() {
    return inFlight.size();
  }
}
