package dev.switchboard.modeladapter.openai;

import dev.switchboard.modeladapter.error.ModelFailure;
import dev.switchboard.modeladapter.error.ModelFailure.Kind;
import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Turns provider HTTP errors (documented OpenAI error envelope) into {@link ModelFailure}s. */
final class OpenAiErrors {

  static final String BACKEND = "openai";
  private static final int MAX_DETAIL = 200;

  private OpenAiErrors() {}

  static ModelFailure fromHttp(int status, MultiMap headers, String body) {
    String code = "";
    String detail = "";
    try {
      JsonObject error = new JsonObject(body).getJsonObject("error");
      if (error != null) {
        code = String.valueOf(error.getValue("code", error.getValue("type", "")));
        detail = error.getString("message", "");
      }
    } catch (DecodeException | ClassCastException ignored) {
      // Not the documented envelope (a proxy's HTML page, say): classify by status alone.
    }
    String suffix =
        " (HTTP " + status + (code.isEmpty() ? "" : ", " + code) + ")" + describe(detail);
    boolean mentionsModel =
        code.contains("model_not_found") || detail.toLowerCase(Locale.ROOT).contains("model");
    return switch (status) {
      case 401, 403 ->
          ModelFailure.of(Kind.KEY_REJECTED, BACKEND, "the provider rejected the API key" + suffix);
      case 404 ->
          mentionsModel
              ? ModelFailure.of(Kind.UNKNOWN_MODEL, BACKEND, "unknown model" + suffix)
              : ModelFailure.of(
                  Kind.PROVIDER_FAILURE,
                  BACKEND,
                  "provider endpoint not found; check the base URL" + suffix);
      case 429 ->
          new ModelFailure(
              Kind.QUOTA,
              BACKEND,
              "the provider's rate limit or quota was hit" + suffix,
              retryAfter(headers),
              true);
      case 408, 504 -> ModelFailure.of(Kind.TIMEOUT, BACKEND, "the provider timed out" + suffix);
      case 400, 422 ->
          code.contains("model_not_found")
              ? ModelFailure.of(Kind.UNKNOWN_MODEL, BACKEND, "unknown model" + suffix)
              : ModelFailure.of(
                  Kind.INVALID_REQUEST, BACKEND, "the provider refused the request" + suffix);
      default -> ModelFailure.of(Kind.PROVIDER_FAILURE, BACKEND, "provider failure" + suffix);
    };
  }

  private static String describe(String detail) {
    if (detail.isBlank()) {
      return "";
    }
    String trimmed = detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "…" : detail;
    return ": " + trimmed;
  }

  /** Reads {@code retry-after-ms}, then {@code retry-after} (seconds or an HTTP date). */
  static Duration retryAfter(MultiMap headers) {
    String millis = headers.get("retry-after-ms");
    if (millis != null) {
      try {
        return Duration.ofMillis((long) Double.parseDouble(millis.trim()));
      } catch (NumberFormatException ignored) {
        // fall through to retry-after
      }
    }
    String value = headers.get("retry-after");
    if (value == null) {
      return null;
    }
    try {
      return Duration.ofMillis((long) (Double.parseDouble(value.trim()) * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime when =
            ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(ZonedDateTime.now(when.getZone()), when);
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (RuntimeException notADate) {
        return null;
      }
    }
  }
}
