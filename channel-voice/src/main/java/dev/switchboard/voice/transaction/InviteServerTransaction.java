package dev.switchboard.voice.transaction;

import dev.switchboard.voice.sip.SipRequest;
import dev.switchboard.voice.sip.SipResponse;

/**
 * RFC 3261 §17.2.1 with the RFC 6026 Accepted state. Proceeding: retransmitted INVITEs get the last
 * provisional response. A 2xx moves to Accepted, where retransmitted INVITEs are absorbed (the
 * dialog layer retransmits the 2xx until the ACK) until Timer L. A 3xx–6xx moves to Completed:
 * Timer G retransmits it on UDP (T1 doubling to T2) until the ACK (→ Confirmed, Timer I) or Timer H
 * gives up.
 */
public final class InviteServerTransaction implements ServerTransaction {
  enum State {
    PROCEEDING,
    ACCEPTED,
    COMPLETED,
    CONFIRMED,
    TERMINATED
  }

  private final String key;
  private final SipRequest request;
  private final SipPeer peer;
  private final TransactionLayer layer;
  private State state = State.PROCEEDING;
  private SipResponse last;
  private SipTimers.Cancellable timerG;
  private SipTimers.Cancellable timerH;
  private long gInterval;
  private boolean ackReceived;

  InviteServerTransaction(String key, SipRequest request, SipPeer peer, TransactionLayer layer) {
    this.key = key;
    this.request = request;
    this.peer = peer;
    this.layer = layer;
  }

  @Override
  public void respond(SipResponse response) {
    if (state != State.PROCEEDING) {
      return;
    }
    last = response;
    layer.transmit(response, peer);
    int status = response.status();
    if (status < 200) {
      return;
    }
    if (status < 300) {
      state = State.ACCEPTED;
      layer.scheduleTermination(this, layer.timers().timeout());
      return;
    }
    state = State.COMPLETED;
    if (!peer.transport().reliable()) {
      gInterval = layer.timers().t1();
      timerG = layer.scheduler().schedule(gInterval, this::fireG);
    }
    timerH = layer.scheduler().schedule(layer.timers().timeout(), this::fireH);
  }

  private void fireG() {
    if (state != State.COMPLETED) {
      return;
    }
    layer.transmit(last, peer);
    gInterval = Math.min(gInterval * 2, layer.timers().t2());
    timerG = layer.scheduler().schedule(gInterval, this::fireG);
  }

  private void fireH() {
    if (state == State.COMPLETED) {
      // The ACK never came: the peer is gone or unreachable.
      cancelTimers();
      layer.terminateNow(this);
      layer.ackTimeout(this);
    }
  }

  /** An ACK for a non-2xx final response. */
  void onAck() {
    ackReceived = true;
    if (state != State.COMPLETED) {
      return;
    }
    state = State.CONFIRMED;
    cancelTimers();
    long timerI = peer.transport().reliable() ? 0 : layer.timers().t4();
    layer.scheduleTermination(this, timerI);
  }

  @Override
  public void onRetransmission() {
    if (state == State.PROCEEDING && last != null) {
      layer.transmit(last, peer);
    } else if (state == State.COMPLETED) {
      layer.transmit(last, peer);
    }
    // ACCEPTED / CONFIRMED: absorbed.
  }

  private void cancelTimers() {
    if (timerG != null) {
      timerG.cancel();
    }
    if (timerH != null) {
      timerH.cancel();
    }
  }

  void terminate() {
    cancelTimers();
    state = State.TERMINATED;
  }

  public boolean isProceeding() {
    return state == State.PROCEEDING;
  }

  public boolean ackReceived() {
    return ackReceived;
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
