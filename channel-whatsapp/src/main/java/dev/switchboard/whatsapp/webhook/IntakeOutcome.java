package dev.switchboard.whatsapp.webhook;

/** What the webhook answers Meta. */
public sealed interface IntakeOutcome {
  /** Every event is on Kafka (acks=all): 200. */
  record Accepted(int events) implements IntakeOutcome {}

  /** Missing or wrong signature: 401. */
  record Unauthorized(String reason) implements IntakeOutcome {}

  /** Not a Cloud API envelope: 400. */
  record BadRequest(String reason) implements IntakeOutcome {}

  /** We could not keep the events (Kafka or the database is unavailable): 503, Meta redelivers. */
  record Unavailable(String reason) implements IntakeOutcome {}
}
