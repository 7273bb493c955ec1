package dev.switchboard.modeladapter.resilience;

import dev.switchboard.modeladapter.error.ModelFailure;
import dev.switchboard.modeladapter.error.ModelFailure.Kind;
import dev.switchboard.modeladapter.metrics.ModelMetrics;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What every backend call goes through: a bulkhead (bounded concurrency), a circuit breaker, a
 * deadline on the gap between outputs (the first one included), and the per-backend meters (time to
 * first output, duration, errors).
 */
public final class Guard {
  private static final ScheduledThreadPoolExecutor SILENCE_WATCH = silenceWatch();

  private final String capability;
  private final String backend;
  private final Semaphore bulkhead;
  private final CircuitBreaker breaker;
  private final Duration deadline;
  private final ModelMetrics metrics;

  public Guard(
      String capability,
      String backend,
      int maxConcurrent,
      CircuitBreaker breaker,
      Duration deadline,
      ModelMetrics metrics) {
    this.capability = capability;
    this.backend = backend;
    this.bulkhead = new Semaphore(maxConcurrent);
    this.breaker = breaker;
    this.deadline = deadline;
    this.metrics = metrics;
    metrics.register(capability, backend, breaker);
  }

  public String backend() {
    return backend;
  }

  public CircuitBreaker breaker() {
    return breaker;
  }

  /** Guards a streaming call; {@code call} is only invoked once admitted. */
  public <T> Multi<T> stream(Supplier<Multi<T>> call) {
    return Multi.createFrom()
        .deferred(
            () -> {
              Admission admission = admit();
              if (admission.refusal != null) {
                metrics.error(capability, backend, admission.refusal);
                return Multi.createFrom().failure(admission.refusal);
              }
              long start = System.nanoTime();
              AtomicBoolean first = new AtomicBoolean(true);
              AtomicBoolean settled = new AtomicBoolean(false);
              return failOnSilence(call.get())
                  .onItem()
                  .invoke(
                      item -> {
                        if (first.compareAndSet(true, false)) {
                          metrics.firstOutput(capability, backend, since(start));
                        }
                      })
                  .onFailure()
                  .invoke(failure -> admission.failed(failure, start, settled))
                  .onCompletion()
                  .invoke(() -> admission.succeeded(start, settled))
                  .onCancellation()
                  .invoke(() -> admission.cancelled(start, settled))
                  .onTermination()
                  .invoke(bulkhead::release);
            });
  }

  /**
   * Fails {@code upstream} once it has been silent for the deadline (before its first item too),
   * cancelling it. One watch task per deadline period per stream, rather than a timer rescheduled
   * on every token: at hundreds of streams the per-token timers were most of the gateway's own
   * cost.
   */
  private <T> Multi<T> failOnSilence(Multi<T> upstream) {
    long deadlineNanos = deadline.toNanos();
    return Multi.createFrom()
        .emitter(
            emitter -> {
              AtomicLong lastOutput = new AtomicLong(System.nanoTime());
              AtomicReference<ScheduledFuture<?>> watch = new AtomicReference<>();
              Cancellable subscription =
                  upstream
                      .subscribe()
                      .with(
                          item -> {
                            lastOutput.set(System.nanoTime());
                            emitter.emit(item);
                          },
                          emitter::fail,
                          emitter::complete);
              Runnable check =
                  new Runnable() {
                    @Override
                    public void run() {
                      long silent = System.nanoTime() - lastOutput.get();
                      if (silent >= deadlineNanos) {
                        subscription.cancel();
                        emitter.fail(
                            ModelFailure.of(Kind.TIMEOUT, backend, "no output for " + deadline));
                      } else if (!emitter.isCancelled()) {
                        watch.set(
                            SILENCE_WATCH.schedule(
                                this, deadlineNanos - silent, TimeUnit.NANOSECONDS));
                      }
                    }
                  };
              watch.set(SILENCE_WATCH.schedule(check, deadlineNanos, TimeUnit.NANOSECONDS));
              emitter.onTermination(
                  () -> {
                    ScheduledFuture<?> pending = watch.get();
                    if (pending != null) {
                      pending.cancel(false);
                    }
                    subscription.cancel();
                  });
            });
  }

  private static ScheduledThreadPoolExecutor silenceWatch() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "model-silence-watch");
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  /** Guards a single-result call. */
  public <T> Uni<T> single(Supplier<Uni<T>> call) {
    return stream(() -> call.get().toMulti()).toUni();
  }

  private Admission admit() {
    CircuitBreaker.Permit permit = breaker.acquire();
    if (permit instanceof CircuitBreaker.Permit.Refused refused) {
      return new Admission(
          null,
          new ModelFailure(
              Kind.CIRCUIT_OPEN,
              backend,
              "backend switched off after repeated failures; retrying in "
                  + refused.retryAfter().toMillis()
                  + " ms",
              refused.retryAfter(),
              true));
    }
    CircuitBreaker.Permit.Granted granted = (CircuitBreaker.Permit.Granted) permit;
    if (!bulkhead.tryAcquire()) {
      breaker.onNeutral(granted);
      return new Admission(
          null, ModelFailure.of(Kind.BUSY, backend, "too many requests in flight to this backend"));
    }
    return new Admission(granted, null);
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private final class Admission {
    private final CircuitBreaker.Permit.Granted permit;
    private final ModelFailure refusal;

    Admission(CircuitBreaker.Permit.Granted permit, ModelFailure refusal) {
      this.permit = permit;
      this.refusal = refusal;
    }

    void failed(Throwable failure, long start, AtomicBoolean settled) {
      if (!settled.compareAndSet(false, true)) {
        return;
      }
      metrics.error(capability, backend, failure);
      metrics.request(capability, backend, "error", since(start));
      if (failure instanceof ModelFailure model && model.providerUnhealthy()) {
        breaker.onFailure();
      } else {
        breaker.onNeutral(permit);
      }
    }

    void succeeded(long start, AtomicBoolean settled) {
      if (settled.compareAndSet(false, true)) {
        metrics.request(capability, backend, "ok", since(start));
        breaker.onSuccess();
      }
    }

    void cancelled(long start, AtomicBoolean settled) {
      if (settled.compareAndSet(false, true)) {
        metrics.request(capability, backend, "cancelled", since(start));
        breaker.onNeutral(permit);
      }
    }
  }
}
