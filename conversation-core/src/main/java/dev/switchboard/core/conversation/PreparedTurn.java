package dev.switchboard.core.conversation;

import java.util.List;
import java.util.UUID;

/** What the store knows before the model is called: where the turn goes and what came before. */
public record PreparedTurn(
    UUID conversationId, int nextTurnIndex, List<PromptMessage> history, boolean firstContact) {}
