package dev.switchboard.modeladapter.chat;

import io.smallrye.mutiny.Multi;

/**
 * Something that can answer a chat request. Failures are signalled as {@link
 * dev.switchboard.modeladapter.error.ModelFailure}.
 */
public interface ChatBackend {

  /** Short name for logs, metrics and {@code Completion.backend}. */
  String name();

  /** Streams deltas and then one {@link ChatEvent.Completed}. Nothing happens until subscribed. */
  Multi<ChatEvent> generate(ChatRequest request);
}
