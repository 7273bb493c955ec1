package dev.switchboard.core.conversation;

/** One message of the prompt sent to the chat model. */
public record PromptMessage(Role role, String text) {
  public enum Role {
    SYSTEM,
    USER,
    ASSISTANT
  }
}
