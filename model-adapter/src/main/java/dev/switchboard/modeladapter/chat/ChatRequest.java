package dev.switchboard.modeladapter.chat;

import java.util.List;

/**
 * One chat generation asked of a backend.
 *
 * @param model the model name; empty means the configured default
 * @param messages the conversation so far, oldest first
 * @param maxOutputTokens upper bound on generated tokens; 0 means the backend's default
 * @param temperature sampling temperature; 0 means the backend's default
 * @param conversationId for logs and metrics only
 */
public record ChatRequest(
    String model,
    List<ChatMessage> messages,
    int maxOutputTokens,
    float temperature,
    String conversationId) {

  public ChatRequest {
    messages = List.copyOf(messages);
  }

  /** The text of the most recent user message, or an empty string when there is none. */
  public String lastUserText() {
    for (int i = messages.size() - 1; i >= 0; i--) {
      ChatMessage message = messages.get(i);
      if (message.role() == ChatMessage.Role.USER) {
        return message.text();
      }
    }
    return "";
  }
}
