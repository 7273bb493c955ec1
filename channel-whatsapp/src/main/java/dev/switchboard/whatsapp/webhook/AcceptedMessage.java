package dev.switchboard.whatsapp.webhook;

/** A message that is now safely on Kafka. */
public record AcceptedMessage(String phoneNumberId, String subjectId, IncomingMessage message) {}
