package dev.switchboard.core.conversation;

/**
 * Where replies to an event go: a topic, a partition ({@code -1} = by key) and the channel's own
 * address (WhatsApp phone number id, voice node name).
 */
public record ReplyRoute(String topic, int partition, String channelAddress) {}
