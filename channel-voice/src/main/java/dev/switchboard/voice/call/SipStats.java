package dev.switchboard.voice.call;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters the transport exposes as metrics; every dropped message is counted here, never silent.
 */
public final class SipStats {
  public final AtomicLong received = new AtomicLong();
  public final AtomicLong malformed = new AtomicLong();

  /** Malformed input with no way to respond (no usable Via): dropped and counted. */
  public final AtomicLong malformedDropped = new AtomicLong();

  /** Requests from sources that are neither allow-listed nor authenticated. */
  public final AtomicLong unauthorized = new AtomicLong();

  /**
   * Responses we did not send because they would be larger than the request of an untrusted source.
   */
  public final AtomicLong amplificationSuppressed = new AtomicLong();

  public final AtomicLong rateLimited = new AtomicLong();
  public final AtomicLong callsRejectedCapacity = new AtomicLong();
  public final AtomicLong callsRejectedDraining = new AtomicLong();
  public final AtomicLong callsStarted = new AtomicLong();
  public final AtomicLong callsEnded = new AtomicLong();
  public final AtomicLong strayResponses = new AtomicLong();

  /** Messages over the UDP size threshold sent over TCP instead (RFC 3261 §18.1.1). */
  public final AtomicLong largeMessagesOverTcp = new AtomicLong();

  /** Messages over the threshold sent by UDP after all because no TCP connection could be made. */
  public final AtomicLong largeMessagesOverUdp = new AtomicLong();
}
