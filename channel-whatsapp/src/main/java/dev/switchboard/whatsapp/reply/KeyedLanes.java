package dev.switchboard.whatsapp.reply;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks one after another per key (a conversation) and concurrently across keys, so a slow or
 * paced conversation never holds up the others, while the parts of one reply keep their order.
 */
public final class KeyedLanes implements AutoCloseable {
  private final ExecutorService pool;
  private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

  public KeyedLanes(int threads) {
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "whatsapp-reply-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  public CompletableFuture<Void> submit(String key, Runnable task) {
    CompletableFuture<Void>[] mine = new CompletableFuture[1];
    tails.compute(
        key,
        (k, tail) -> {
          CompletableFuture<Void> previous =
              tail == null ? CompletableFuture.completedFuture(null) : tail;
          mine[0] = previous.handle((ok, error) -> null).thenRunAsync(task, pool);
          return mine[0];
        });
    CompletableFuture<Void> result = mine[0];
    result.whenComplete((ok, error) -> tails.remove(key, result));
    return result;
  }

  @Override
  public void close() {
    pool.shutdown();
  }
}
