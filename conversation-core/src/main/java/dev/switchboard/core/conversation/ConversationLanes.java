package dev.switchboard.core.conversation;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One lane per conversation: work for the same conversation runs strictly in submission order, work
 * for different conversations runs concurrently. A lane is a chain of futures, so a waiting
 * conversation holds no thread. Empty lanes are removed.
 */
public final class ConversationLanes {
  private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

  /** Runs {@code work} after everything submitted earlier for {@code key} has finished. */
  public CompletableFuture<Void> submit(String key, Supplier<CompletionStage<Void>> work) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    CompletableFuture<Void> previous = tails.put(key, done);
    CompletableFuture<Void> start =
        previous == null ? CompletableFuture.completedFuture(null) : previous;
    start.whenComplete(
        (ignored, alsoIgnored) -> {
          CompletionStage<Void> running;
          try {
            running = work.get();
          } catch (RuntimeException e) {
            running = CompletableFuture.failedFuture(e);
          }
          running.whenComplete(
              (result, failure) -> {
                tails.remove(key, done);
                if (failure != null) {
                  done.completeExceptionally(failure);
                } else {
                  done.complete(null);
                }
              });
        });
    return done;
  }

  /** Conversations with work queued or running. */
  public int activeLanes() {
    return tails.size();
  }
}
