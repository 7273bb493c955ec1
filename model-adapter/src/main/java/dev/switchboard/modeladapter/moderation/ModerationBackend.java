package dev.switchboard.modeladapter.moderation;

import io.smallrye.mutiny.Uni;

/** Classifies text into moderation categories with scores. */
public interface ModerationBackend {

  String name();

  Uni<ModerationResult> classify(String text);
}
