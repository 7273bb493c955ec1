package dev.switchboard.core.conversation;

/** The whole answer of the chat model to one prompt. */
public record ModelAnswer(String text, String model, int inputTokens, int outputTokens) {}
