package io.tierdns.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoalescerTest {

  private final Coalescer<String, String> coalescer = new Coalescer<>();

  @Test
  void identicalKeysInFlightShareOneStart() {
    AtomicInteger starts = new AtomicInteger();
    CompletableFuture<String> work = new CompletableFuture<>();
    Coalescer.Flight<String> first = coalescer.join("q", () -> { starts.incrementAndGet(); return work; });
    Coalescer.Flight<String> second = coalescer.join("q", () -> { starts.incrementAndGet(); return work; });
    assertThat(first.started()).isTrue();
    assertThat(second.started()).isFalse();
    assertThat(starts).hasValue(1);
    work.complete("answer");
    assertThat(first.result().toCompletableFuture().join()).isEqualTo("answer");
    assertThat(second.result().toCompletableFuture().join()).isEqualTo("answer");
    assertThat(coalescer.inFlight()).isZero();
  }

  @Test
  void differentKeysDoNotShare() {
    Coalescer.Flight<String> a = coalescer.join("a", CompletableFuture::new);
    Coalescer.Flight<String> b = coalescer.join("b", CompletableFuture::new);
    assertThat(a.started()).isTrue();
    assertThat(b.started()).isTrue();
    assertThat(coalescer.inFlight()).isEqualTo(2);
  }

  @Test
  void aFinishedFlightIsNotJoinedAgain() {
    coalescer.join("q", () -> CompletableFuture.completedFuture("one"));
    Coalescer.Flight<String> again = coalescer.join("q", () -> CompletableFuture.completedFuture("two"));
    assertThat(again.started()).isTrue();
    assertThat(again.result().toCompletableFuture().join()).isEqualTo("two");
  }

  @Test
  void failuresAreSharedAndClearTheFlight() {
    CompletableFuture<String> work = new CompletableFuture<>();
    Coalescer.Flight<String> a = coalescer.join("q", () -> work);
    Coalescer.Flight<String> b = coalescer.join("q", () -> work);
    work.completeExceptionally(new IllegalStateException("boom"));
    assertThat(a.result().toCompletableFuture()).isCompletedExceptionally();
    assertThat(b.result().toCompletableFuture()).isCompletedExceptionally();
    assertThat(coalescer.inFlight()).isZero();
  }

  @Test
  void workThatThrowsFailsTheFlight() {
    Coalescer.Flight<String> a = coalescer.join("q", () -> { throw new IllegalStateException("boom"); });
    assertThat(a.result().toCompletableFuture()).isCompletedExceptionally();
    assertThat(coalescer.inFlight()).isZero();
  }

  @Test
  void callersCannotCompleteTheSharedResult() {
    CompletableFuture<String> work = new CompletableFuture<>();
    Coalescer.Flight<String> a = coalescer.join("q", () -> work);
    Coalescer.Flight<String> b = coalescer.join("q", () -> work);
    a.result().toCompletableFuture().complete("forged");
    work.complete("real");
    assertThat(b.result().toCompletableFuture().join()).isEqualTo("real");
  }
}
