package dev.switchboard.voice.transaction;

import dev.switchboard.voice.sip.SipMessage;

/** Sends an encoded message to a peer. Implemented by the transport; never blocks. */
public interface SipOutbound {
  void send(SipMessage message, SipPeer peer);

  /** The Via sent-by, Contact host and port we advertise for a transport. */
  String advertisedHost();

  int advertisedPort(SipPeer.Transport transport);
}
