package dev.switchboard.voice.transaction;

import dev.switchboard.voice.sip.SipRequest;
import dev.switchboard.voice.sip.SipResponse;

/**
 * RFC 3261 §17.2.2: Trying → Proceeding → Completed → Terminated. In Completed, retransmitted
 * requests get the final response again until Timer J (64*T1 on UDP, 0 on TCP).
 */
public final class NonInviteServerTransaction implements ServerTransaction {
  enum State {
    TRYING,
    PROCEEDING,
    COMPLETED,
    TERMINATED
  }

  private final String key;
  private final SipRequest request;
  private final SipPeer peer;
  private final TransactionLayer layer;
  private State state = State.TRYING;
  private SipResponse last;

  NonInviteServerTransaction(String key, SipRequest request, SipPeer peer, TransactionLayer layer) {
    this.key = key;
    this.request = request;
    this.peer = peer;
    this.layer = layer;
  }

  @Override
  public void respond(SipResponse response) {
    if (state == State.COMPLETED || state == State.TERMINATED) {
      return;
    }
    last = response;
    layer.transmit(response, peer);
    if (response.status() < 200) {
      state = State.PROCEEDING;
      return;
    }
    state = State.COMPLETED;
    long timerJ = peer.transport().reliable() ? 0 : layer.timers().timeout();
    layer.scheduleTermination(this, timerJ);
  }

  @Override
  public void onRetransmission() {
    if (last != null && state != State.TERMINATED) {
      layer.transmit(last, peer);
    }
  }

  void terminate() {
    state = State.TERMINATED;
  }

  @Override
  public boolean isTerminated() {
    return state == State.TERMINATED;
  }

  @Override
  public int finalStatus() {
    return last != null && last.status() >= 200 ? last.status() : 0;
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public SipRequest request() {
    return request;
  }

  @Override
  public SipPeer peer() {
    return peer;
  }
}
