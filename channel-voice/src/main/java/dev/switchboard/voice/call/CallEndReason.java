package dev.switchboard.voice.call;

/** Why a call ended, as the media side and the conversation core need to know. */
public enum CallEndReason {
  /** The caller sent BYE. */
  CALLER_HUNG_UP,
  /** The caller cancelled before we answered. */
  CALLER_CANCELLED,
  /** We sent BYE (assistant, time limit, or test mode). */
  WE_HUNG_UP,
  /** Our 2xx was never acknowledged (RFC 3261 §13.3.1.4). */
  ACK_TIMEOUT,
  /** No session refresh arrived in time (RFC 4028 §10). */
  SESSION_EXPIRED,
  /** The caller accepted a transfer (REFER) and the new call was set up. */
  TRANSFERRED,
  /** The node shut down after its drain grace period. */
  SHUTDOWN,
  /** The node-wide maximum call duration was reached. */
  TIME_LIMIT
}
