package dev.switchboard.whatsapp.webhook;

/** The outcome of reading a webhook body. */
public sealed interface ParseResult {
  /** A Cloud API envelope. */
  record Parsed(WebhookPayload payload) implements ParseResult {}

  /** Not a Cloud API envelope; the reason is safe to return to the caller. */
  record Rejected(String reason) implements ParseResult {}
}
