package dev.switchboard.modeladapter.openai;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds chat-completion SSE bodies exactly as the OpenAI API documents them: {@code
 * chat.completion.chunk} objects as {@code data:} lines, a usage-only chunk with empty choices when
 * {@code stream_options.include_usage} is set, and {@code data: [DONE]}.
 */
final class OpenAiSse {

  static final String MODEL = "gpt-4o-mini-2024-07-18";

  private OpenAiSse() {}

  static String chunk(String deltaJson, String finishReason) {
    return "{\"id\":\"chatcmpl-test\",\"object\":\"chat.completion.chunk\",\"created\":1732000000,"
        + "\"model\":\""
        + MODEL
        + "\",\"system_fingerprint\":\"fp_test\",\"choices\":[{\"index\":0,\"delta\":"
        + deltaJson
        + ",\"logprobs\":null,\"finish_reason\":"
        + (finishReason == null ? "null" : "\"" + finishReason + "\"")
        + "}],\"usage\":null}";
  }

  static String usageChunk(int prompt, int completion) {
    return "{\"id\":\"chatcmpl-test\",\"object\":\"chat.completion.chunk\",\"created\":1732000000,"
        + "\"model\":\""
        + MODEL
        + "\",\"system_fingerprint\":\"fp_test\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
        + prompt
        + ",\"completion_tokens\":"
        + completion
        + ",\"total_tokens\":"
        + (prompt + completion)
        + "}}";
  }

  /** A complete stream saying {@code words} (each a delta), finishing with "stop". */
  static String stream(int promptTokens, String... words) {
    return String.join("", events(promptTokens, words)) + "data: [DONE]\n\n";
  }

  static List<String> events(int promptTokens, String... words) {
    List<String> events = new ArrayList<>();
    events.add(
        "data: "
            + chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null)
            + "\n\n");
    for (String word : words) {
      events.add("data: " + chunk("{\"content\":" + quote(word) + "}", null) + "\n\n");
    }
    events.add("data: " + chunk("{}", "stop") + "\n\n");
    events.add("data: " + usageChunk(promptTokens, words.length) + "\n\n");
    return events;
  }

  static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
