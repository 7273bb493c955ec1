package dev.switchboard.voice.media;

import java.util.Objects;

/**
 * Symmetric RTP for callers behind NAT: we send to where the caller's media really comes from, not
 * to the address in their SDP (which is often a private address).
 *
 * <p>Before latching we send to the signalled address. A source is latched once it sends {@value
 * #CONFIRM_PACKETS} packets in sequence with one SSRC; from then on packets from other sources are
 * rejected (and counted), so a stray or malicious sender cannot take over the call's audio (the
 * "RTP bleed" attack). Re-latching to a new source is allowed only after the latched one has been
 * quiet for {@code relatchAfterNanos} (the caller's NAT binding changed) and the new source
 * confirms itself the same way.
 *
 * <p>Not thread-safe: used on the call's socket thread. {@code A} is the address type (e.g. {@code
 * InetSocketAddress} or Vert.x {@code SocketAddress}); it needs a value {@code equals}.
 *
 * @param <A> socket address type
 */
public final class SymmetricRtpLatch<A> {

  /** Packets in sequence from one source and SSRC needed to latch to it. */
  public static final int CONFIRM_PACKETS = 2;

  private A signalled;
  private final long relatchAfterNanos;
  private A latched;
  private long lastFromLatchedNanos;
  private A candidate;
  private long candidateSsrc;
  private int candidateLastSeq;
  private int candidateCount;
  private long rejected;

  /**
   * @param signalled the address from the caller's SDP (used until media arrives)
   * @param relatchAfterNanos how long the latched source must be silent before another may take
   *     over
   */
  public SymmetricRtpLatch(A signalled, long relatchAfterNanos) {
    this.signalled = Objects.requireNonNull(signalled);
    this.relatchAfterNanos = relatchAfterNanos;
  }

  /**
   * Decides whether a parsed RTP packet from {@code source} belongs to this call.
   *
   * @return true to process it; false to drop it (counted in {@link #rejectedCount()})
   */
  public boolean accept(A source, long ssrc, int sequenceNumber, long nowNanos) {
    if (source.equals(latched)) {
      lastFromLatchedNanos = nowNanos;
      return true;
    }
    boolean mayLatch = latched == null || nowNanos - lastFromLatchedNanos >= relatchAfterNanos;
    if (!mayLatch) {
      rejected++;
      return false;
    }
    if (source.equals(candidate)
        && ssrc == candidateSsrc
        && sequenceNumber == ((candidateLastSeq + 1) & 0xFFFF)) {
      candidateCount++;
    } else {
      candidate = source;
      candidateSsrc = ssrc;
      candidateCount = 1;
    }
    candidateLastSeq = sequenceNumber;
    if (candidateCount >= CONFIRM_PACKETS) {
      latched = candidate;
      lastFromLatchedNanos = nowNanos;
      candidate = null;
      return true;
    }
    // Not yet confirmed: process it only if nobody is latched (the first packets of the call).
    if (latched == null) {
      return true;
    }
    rejected++;
    return false;
  }

  /**
   * A re-INVITE or UPDATE signalled a new address for the caller's media (a transfer to another
   * media server, a new NAT binding): we send there from now on and the next source to confirm
   * itself is latched. The same address again changes nothing, so a re-INVITE that only puts the
   * call on hold or resumes it keeps the latch (and its protection against stray senders).
   *
   * @return whether the signalled address changed
   */
  public boolean resignal(A newSignalled) {
    Objects.requireNonNull(newSignalled);
    if (newSignalled.equals(signalled)) {
      return false;
    }
    signalled = newSignalled;
    latched = null;
    candidate = null;
    candidateCount = 0;
    return true;
  }

  /** Where to send our RTP now. */
  public A remote() {
    return latched != null ? latched : signalled;
  }

  /** Whether media has confirmed a source. */
  public boolean isLatched() {
    return latched != null;
  }

  /** Packets refused because they came from a source other than the latched one. */
  public long rejectedCount() {
    return rejected;
  }
}
