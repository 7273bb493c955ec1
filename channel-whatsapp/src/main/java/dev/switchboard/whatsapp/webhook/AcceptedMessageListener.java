package dev.switchboard.whatsapp.webhook;

/** Reacts once a message is durably accepted (read receipts, typing indicator, media work). */
public interface AcceptedMessageListener {
  void onAccepted(AcceptedMessage message);
}
