package dev.switchboard.modeladapter.chat;

/** What a chat backend streams back: text deltas, then exactly one completion. */
public sealed interface ChatEvent {

  /** A piece of the reply text, to be appended to what came before. */
  record Delta(String text) implements ChatEvent {}

  /**
   * The end of a reply.
   *
   * @param finishReason why generation stopped, e.g. "stop" or "length"
   * @param inputTokens prompt tokens as counted by the backend
   * @param outputTokens generated tokens as counted by the backend
   * @param model the model that answered
   * @param backend the backend that answered, e.g. "openai" or "scripted"
   */
  record Completed(
      String finishReason, int inputTokens, int outputTokens, String model, String backend)
      implements ChatEvent {}
}
