package dev.switchboard.modeladapter.openai;

import java.time.Duration;

/**
 * How to reach one OpenAI-compatible endpoint.
 *
 * @param baseUrl e.g. https://api.openai.com/v1 (no trailing slash needed)
 * @param apiKey bearer token; may be empty for local servers that need none
 * @param connectTimeout TCP/TLS connect limit
 * @param firstByteTimeout limit for the response headers and the first streamed event
 * @param idleTimeout longest silence between streamed chunks
 * @param maxRetries retries of a request that failed before its first byte
 * @param retryBackoff base back-off between retries (jittered)
 * @param maxConnections connection pool size
 */
public record OpenAiSettings(
    String baseUrl,
    String apiKey,
    Duration connectTimeout,
    Duration firstByteTimeout,
    Duration idleTimeout,
    int maxRetries,
    Duration retryBackoff,
    int maxConnections) {

  public OpenAiSettings {
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    apiKey = apiKey == null ? "" : apiKey;
  }
}
