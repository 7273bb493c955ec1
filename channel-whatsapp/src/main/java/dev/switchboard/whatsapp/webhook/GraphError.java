package dev.switchboard.whatsapp.webhook;

/** An error object as the Cloud API reports it (in webhooks and in API responses). */
public record GraphError(int code, String title) {}
