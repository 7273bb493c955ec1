package dev.switchboard.modeladapter.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.modeladapter.error.ModelFailure;
import dev.switchboard.modeladapter.metrics.ModelMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The guard's silence deadline, on real Mutiny streams. */
class GuardTest {
  private static final Duration DEADLINE = Duration.ofMillis(500);

  private final Guard guard =
      new Guard(
          "chat",
          "test",
          10,
          new CircuitBreaker(5, Duration.ofSeconds(10)),
          DEADLINE,
          new ModelMetrics(new SimpleMeterRegistry()));

  @Test
  void aStreamThatGoesSilentAfterItsFirstItemFailsWithTimeoutAndIsCancelled() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    Multi<String> stalls =
        Multi.createFrom()
            .<String>emitter(emitter -> emitter.emit("first"))
            .onCancellation()
            .invoke(cancelled::countDown);

    List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    Throwable failure =
        guard.stream(() -> stalls)
            .onItem()
            .invoke(seen::add)
            .collect()
            .asList()
            .subscribeAsCompletionStage()
            .handle((ok, error) -> error)
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);

    assertEquals(List.of("first"), seen);
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    assertInstanceOf(ModelFailure.class, cause);
    assertEquals(ModelFailure.Kind.TIMEOUT, ((ModelFailure) cause).kind());
    assertTrue(cancelled.await(5, TimeUnit.SECONDS), "the silent upstream was cancelled");
  }

  @Test
  void aStreamLongerThanTheDeadlineWithShortGapsCompletes() {
    List<Long> items =
        guard.stream(
                () -> Multi.createFrom().ticks().every(Duration.ofMillis(50)).select().first(20))
            .collect()
            .asList()
            .await()
            .atMost(Duration.ofSeconds(5));

    assertEquals(20, items.size(), "a second of output with 50 ms gaps is not silence");
  }

  @Test
  void cancellingTheGuardedStreamCancelsTheCall() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    Multi<Long> endless =
        Multi.createFrom()
            .ticks()
            .every(Duration.ofMillis(20))
            .onCancellation()
            .invoke(cancelled::countDown);

    guard.stream(() -> endless)
        .select()
        .first(3)
        .collect()
        .asList()
        .await()
        .atMost(Duration.ofSeconds(5));

    assertTrue(cancelled.await(5, TimeUnit.SECONDS), "the call was cancelled");
  }
}
