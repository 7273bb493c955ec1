package dev.switchboard.voice.transaction;

import dev.switchboard.voice.sip.SipRequest;
import dev.switchboard.voice.sip.SipResponse;
import java.util.function.Consumer;

/**
 * RFC 3261 §17.1.2 non-INVITE client transaction (we send BYE, UPDATE, REFER, NOTIFY): Timer E
 * retransmits on UDP (T1 doubling to T2), Timer F (64*T1) reports a timeout, Timer K absorbs late
 * retransmitted responses.
 */
public final class ClientTransaction {
  private final String key;
  private final SipRequest request;
  private final SipPeer peer;
  private final TransactionLayer layer;
  private final Consumer<SipResponse> onFinal;
  private final Runnable onTimeout;
  private SipTimers.Cancellable timerE;
  private SipTimers.Cancellable timerF;
  private long eInterval;
  private boolean completed;

  ClientTransaction(
      String key,
      SipRequest request,
      SipPeer peer,
      TransactionLayer layer,
      Consumer<SipResponse> onFinal,
      Runnable onTimeout) {
    this.key = key;
    this.request = request;
    this.peer = peer;
    this.layer = layer;
    this.onFinal = onFinal;
    this.onTimeout = onTimeout;
  }

  void start() {
    layer.transmit(request, peer);
    if (!peer.transport().reliable()) {
      eInterval = layer.timers().t1();
      timerE = layer.scheduler().schedule(eInterval, this::fireE);
    }
    timerF = layer.scheduler().schedule(layer.timers().timeout(), this::fireF);
  }

  private void fireE() {
    if (completed) {
      return;
    }
    layer.transmit(request, peer);
    eInterval = Math.min(eInterval * 2, layer.timers().t2());
    timerE = layer.scheduler().schedule(eInterval, this::fireE);
  }

  private void fireF() {
    if (completed) {
      return;
    }
    completed = true;
    cancel();
    layer.removeClient(this);
    onTimeout.run();
  }

  void onResponse(SipResponse response) {
    if (completed || response.status() < 200) {
      if (response.status() < 200 && timerE != null) {
        // Proceeding: keep retransmitting at T2 only (RFC 3261 §17.1.2.2).
        eInterval = layer.timers().t2();
      }
      return;
    }
    completed = true;
    cancel();
    long timerK = peer.transport().reliable() ? 0 : layer.timers().t4();
    layer.scheduler().schedule(timerK, () -> layer.removeClient(this));
    onFinal.accept(response);
  }

  private void cancel() {
    if (timerE != null) {
      timerE.cancel();
    }
    if (timerF != null) {
      timerF.cancel();
    }
  }

  String key() {
    return key;
  }

  public SipRequest request() {
    return request;
  }
}
