package dev.switchboard.core.conversation;

import java.util.List;
import java.util.UUID;

/**
 * What the store knows before the model is called: where the turn goes, what came before, whether
 * the disclosure line is due and whether the person is blocked.
 */
public record PreparedTurn(
    UUID conversationId,
    int nextTurnIndex,
    List<PromptMessage> history,
    boolean disclosureDue,
    boolean blocked) {}
