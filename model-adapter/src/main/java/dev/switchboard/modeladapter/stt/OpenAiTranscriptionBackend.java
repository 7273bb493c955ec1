package dev.switchboard.modeladapter.stt;

import dev.switchboard.modeladapter.openai.OpenAiHttp;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /audio/transcriptions} (multipart: file, model, optional language, response_format).
 * {@code whisper-1} and Whisper-compatible servers (speaches, faster-whisper) are asked for {@code
 * verbose_json}, which reports the detected language; newer models only offer {@code json}.
 */
public final class OpenAiTranscriptionBackend implements SttBackend {

  public static final String NAME = "openai";

  /** Whisper reports languages by English name; we hand out BCP 47 codes. */
  private static final Map<String, String> LANGUAGE_CODES =
      Map.ofEntries(
          Map.entry("english", "en"),
          Map.entry("spanish", "es"),
          Map.entry("french", "fr"),
          Map.entry("german", "de"),
          Map.entry("italian", "it"),
          Map.entry("portuguese", "pt"),
          Map.entry("dutch", "nl"),
          Map.entry("polish", "pl"),
          Map.entry("russian", "ru"),
          Map.entry("ukrainian", "uk"),
          Map.entry("turkish", "tr"),
          Map.entry("arabic", "ar"),
          Map.entry("hindi", "hi"),
          Map.entry("bengali", "bn"),
          Map.entry("urdu", "ur"),
          Map.entry("chinese", "zh"),
          Map.entry("japanese", "ja"),
          Map.entry("korean", "ko"),
          Map.entry("vietnamese", "vi"),
          Map.entry("indonesian", "id"),
          Map.entry("swedish", "sv"),
          Map.entry("swahili", "sw"),
          Map.entry("tagalog", "tl"));

  private final OpenAiHttp http;
  private final String model;

  public OpenAiTranscriptionBackend(OpenAiHttp http, String model) {
    this.http = http;
    this.model = model;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Uni<Transcript> transcribe(AudioInput audio) {
    AudioFiles.UploadFile file = AudioFiles.forUpload(audio);
    String boundary = "switchboard-" + UUID.randomUUID();
    Buffer body = Buffer.buffer();
    field(body, boundary, "model", model);
    field(body, boundary, "response_format", verbose() ? "verbose_json" : "json");
    if (!audio.languageHint().isEmpty()) {
      // The API wants ISO 639-1: "en-US" -> "en".
      field(
          body,
          boundary,
          "language",
          audio.languageHint().split("[-_]")[0].toLowerCase(Locale.ROOT));
    }
    body.appendString("--" + boundary + "\r\n")
        .appendString(
            "Content-Disposition: form-data; name=\"file\"; filename=\""
                + file.fileName()
                + "\"\r\n")
        .appendString("Content-Type: " + file.mimeType() + "\r\n\r\n")
        .appendBytes(file.bytes())
        .appendString("\r\n--" + boundary + "--\r\n");
    return http.post("/audio/transcriptions", "multipart/form-data; boundary=" + boundary, body)
        .map(response -> toTranscript(response.toJsonObject(), audio.languageHint()));
  }

  private boolean verbose() {
    return !model.startsWith("gpt-");
  }

  private static void field(Buffer body, String boundary, String name, String value) {
    body.appendString("--" + boundary + "\r\n")
        .appendString("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n")
        .appendString(value, StandardCharsets.UTF_8.name())
        .appendString("\r\n");
  }

  static Transcript toTranscript(JsonObject response, String hint) {
    String text = response.getString("text", "").strip();
    String language = response.getString("language", "");
    if (language.isEmpty()) {
      language = hint; // json format does not report it; the hint is what we asked for
    }
    return new Transcript(text, toBcp47(language), 0f);
  }

  static String toBcp47(String language) {
    String lower = language.toLowerCase(Locale.ROOT).strip();
    if (lower.isEmpty()) {
      return "";
    }
    return LANGUAGE_CODES.getOrDefault(
        lower, lower.length() <= 3 || lower.contains("-") ? language : "");
  }
}
