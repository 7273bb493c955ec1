package dev.switchboard.voice.dialog;

import dev.switchboard.voice.sip.NameAddress;
import dev.switchboard.voice.transaction.SipPeer;
import java.util.List;

/**
 * A UAS dialog (RFC 3261 §12.1.1): identifiers, the route set from Record-Route (kept in order for
 * the UAS), the peer's target from Contact, and both CSeq spaces.
 */
public final class Dialog {
  /** Early until our 2xx, confirmed after it, terminated after BYE. */
  public enum State {
    EARLY,
    CONFIRMED,
    TERMINATED
  }

  private final String callId;
  private final String localTag;
  private final String remoteTag;
  private final NameAddress local;
  private final NameAddress remote;
  private final List<String> routeSet;
  private final SipPeer peer;
  private String remoteTarget;
  private long localCSeq;
  private long remoteCSeq;
  private State state = State.EARLY;

  public Dialog(
      String callId,
      String localTag,
      String remoteTag,
      NameAddress local,
      NameAddress remote,
      String remoteTarget,
      List<String> routeSet,
      long remoteCSeq,
      SipPeer peer) {
    this.callId = callId;
    this.localTag = localTag;
    this.remoteTag = remoteTag;
    this.local = local.withTag(localTag);
    this.remote = remote;
    this.remoteTarget = remoteTarget;
    this.routeSet = List.copyOf(routeSet);
    this.remoteCSeq = remoteCSeq;
    this.peer = peer;
    this.localCSeq = 1 + (long) (Math.random() * 10_000);
  }

  /**
   * Accepts an in-dialog request's CSeq: it must be higher than the last (RFC 3261 §12.2.2), except
   * for ACK and CANCEL which reuse the INVITE's.
   */
  public boolean acceptRemoteCSeq(long cseq) {
    if (cseq <= remoteCSeq) {
      return false;
    }
    remoteCSeq = cseq;
    return true;
  }

  public long nextLocalCSeq() {
    return ++localCSeq;
  }

  public void confirm() {
    if (state == State.EARLY) {
      state = State.CONFIRMED;
    }
  }

  public void terminate() {
    state = State.TERMINATED;
  }

  public State state() {
    return state;
  }

  public String callId() {
    return callId;
  }

  public String localTag() {
    return localTag;
  }

  public String remoteTag() {
    return remoteTag;
  }

  public NameAddress local() {
    return local;
  }

  public NameAddress remote() {
    return remote;
  }

  public List<String> routeSet() {
    return routeSet;
  }

  public String remoteTarget() {
    return remoteTarget;
  }

  /** A target refresh (re-INVITE, UPDATE) may change the peer's Contact. */
  public void updateRemoteTarget(String target) {
    this.remoteTarget = target;
  }

  public SipPeer peer() {
    return peer;
  }
}
