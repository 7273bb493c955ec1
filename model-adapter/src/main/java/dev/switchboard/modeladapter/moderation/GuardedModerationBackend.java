package dev.switchboard.modeladapter.moderation;

import dev.switchboard.modeladapter.resilience.Guard;
import io.smallrye.mutiny.Uni;

/** A moderation backend behind a {@link Guard}. */
public final class GuardedModerationBackend implements ModerationBackend {

  private final ModerationBackend delegate;
  private final Guard guard;

  public GuardedModerationBackend(ModerationBackend delegate, Guard guard) {
    this.delegate = delegate;
    this.guard = guard;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Uni<ModerationResult> classify(String text) {
    return guard.single(() -> delegate.classify(text));
  }
}
