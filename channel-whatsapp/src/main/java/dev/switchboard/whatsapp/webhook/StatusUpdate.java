package dev.switchboard.whatsapp.webhook;

import java.time.Instant;
import java.util.List;

/** Meta's report on a message we sent: sent, delivered, read or failed. */
public record StatusUpdate(String wamid, String status, Instant at, List<GraphError> errors) {}
