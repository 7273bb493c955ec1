package dev.switchboard.modeladapter.chat;

import dev.switchboard.modeladapter.metrics.ModelMetrics;
import dev.switchboard.modeladapter.resilience.Guard;
import io.smallrye.mutiny.Multi;

/** A chat backend behind a {@link Guard}, counting the tokens it reports. */
public final class GuardedChatBackend implements ChatBackend {

  private final ChatBackend delegate;
  private final Guard guard;
  private final ModelMetrics metrics;

  public GuardedChatBackend(ChatBackend delegate, Guard guard, ModelMetrics metrics) {
    this.delegate = delegate;
    this.guard = guard;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Multi<ChatEvent> generate(ChatRequest request) {
    return guard.stream(
        () ->
            delegate
                .generate(request)
                .onItem()
                .invoke(
                    event -> {
                      if (event instanceof ChatEvent.Completed done) {
                        metrics.tokens(done.backend(), done.inputTokens(), done.outputTokens());
                      }
                    }));
  }
}
