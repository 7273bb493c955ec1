package dev.switchboard.voice.transaction;

import dev.switchboard.voice.sip.SipRequest;
import dev.switchboard.voice.sip.SipResponse;

/** A server transaction: the request, the responses we sent, and the RFC 3261 §17.2 state. */
public sealed interface ServerTransaction
    permits InviteServerTransaction, NonInviteServerTransaction {
  String key();

  SipRequest request();

  SipPeer peer();

  /** Sends a response through the transaction (it keeps it for retransmission). */
  void respond(SipResponse response);

  /** A retransmission of the request arrived: re-send the last response, if any. */
  void onRetransmission();

  boolean isTerminated();

  /** The last final status sent, or 0. */
  int finalStatus();
}
