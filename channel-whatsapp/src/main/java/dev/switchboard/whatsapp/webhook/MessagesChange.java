package dev.switchboard.whatsapp.webhook;

import java.util.List;

/** One {@code changes[].value} of field {@code messages}: what happened on one business number. */
public record MessagesChange(
    String phoneNumberId,
    List<IncomingMessage> messages,
    List<StatusUpdate> statuses,
    List<GraphError> errors,
    int skippedMessages) {}
