package dev.switchboard.core.client;

import dev.switchboard.core.conversation.ModelAnswer;
import java.util.concurrent.CompletableFuture;

/** A model generation in flight: its eventual answer, and a way to stop it at once. */
public interface ModelCall {
  /** Completes with the whole answer, or exceptionally when the gateway fails or is cancelled. */
  CompletableFuture<ModelAnswer> answer();

  /** Cancels the gRPC stream; the answer then fails with a cancellation. */
  void cancel();
}
