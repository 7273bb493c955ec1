package dev.switchboard.whatsapp.webhook;

import java.util.List;

/** A parsed webhook: every messages change of every entry, in the order Meta sent them. */
public record WebhookPayload(List<MessagesChange> changes) {}
