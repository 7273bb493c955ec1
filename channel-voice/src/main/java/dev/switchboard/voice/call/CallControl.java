package dev.switchboard.voice.call;

/** What the media side may ask of the signalling. Thread-safe; calls may come from any thread. */
public interface CallControl {
  /** Sends BYE and ends the call. */
  void hangUp(String callId, CallEndReason reason);

  /**
   * Transfers the caller (REFER, RFC 3515) to a SIP or tel URI, or a number that becomes a URI at
   * the caller's domain. The call ends when the transfer succeeds (NOTIFY with a 2xx sipfrag).
   */
  void transfer(String callId, String target);
}
