package dev.switchboard.voice.transaction;

import dev.switchboard.voice.sip.SipConstants;
import dev.switchboard.voice.sip.SipMessage;
import dev.switchboard.voice.sip.SipRequest;
import dev.switchboard.voice.sip.SipResponse;
import dev.switchboard.voice.sip.Via;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Matches requests and responses to transactions (RFC 3261 §17.1.3, §17.2.3) and owns their timers.
 * Runs on the single SIP thread; not thread-safe.
 */
public final class TransactionLayer {

  /** What the transaction layer did with an incoming request. */
  public enum Disposition {
    /**
     * A new request: the transaction user must answer it through {@link Received#transaction()}.
     */
    NEW,
    /** A retransmission, answered from the transaction. */
    RETRANSMISSION,
    /** An ACK for a non-2xx final response; consumed here. */
    ACK_ABSORBED,
    /** An ACK for a 2xx (or an unmatched ACK): a dialog-level event for the transaction user. */
    ACK_FOR_DIALOG
  }

  /** Disposition plus the transaction (null for ACK_FOR_DIALOG). */
  public record Received(Disposition disposition, ServerTransaction transaction) {}

  /** Callbacks for transaction timeouts the user agent must act on. */
  public interface Listener {
    /** Timer H fired: a non-2xx final response to an INVITE was never acknowledged. */
    void ackTimeout(InviteServerTransaction transaction);
  }

  private final SipOutbound outbound;
  private final SipTimers scheduler;
  private final TimerValues timers;
  private final Listener listener;
  private final Map<String, ServerTransaction> server = new HashMap<>();
  private final Map<String, ClientTransaction> client = new HashMap<>();
  private long transmitted;

  public TransactionLayer(
      SipOutbound outbound, SipTimers scheduler, TimerValues timers, Listener listener) {
    this.outbound = outbound;
    this.scheduler = scheduler;
    this.timers = timers;
    this.listener = listener;
  }

  public Received receive(SipRequest request, SipPeer peer) {
    String key = key(request, request.method());
    if (request.is(SipConstants.ACK)) {
      ServerTransaction invite = server.get(key(request, SipConstants.INVITE));
      if (invite instanceof InviteServerTransaction ist && ist.finalStatus() >= 300) {
        ist.onAck();
        return new Received(Disposition.ACK_ABSORBED, ist);
      }
      return new Received(Disposition.ACK_FOR_DIALOG, null);
    }
    ServerTransaction existing = server.get(key);
    if (existing != null) {
      existing.onRetransmission();
      return new Received(Disposition.RETRANSMISSION, existing);
    }
    ServerTransaction tx =
        request.is(SipConstants.INVITE)
            ? new InviteServerTransaction(key, request, peer, this)
            : new NonInviteServerTransaction(key, request, peer, this);
    server.put(key, tx);
    return new Received(Disposition.NEW, tx);
  }

  /** The INVITE server transaction a CANCEL refers to (same branch and sent-by), or null. */
  public InviteServerTransaction inviteFor(SipRequest cancel) {
    return server.get(key(cancel, SipConstants.INVITE)) instanceof InviteServerTransaction ist
        ? ist
        : null;
  }

  /** Starts a non-INVITE client transaction for a request we originate. */
  public void sendRequest(
      SipRequest request, SipPeer peer, Consumer<SipResponse> onFinal, Runnable onTimeout) {
    String key = key(request, request.method());
    ClientTransaction tx = new ClientTransaction(key, request, peer, this, onFinal, onTimeout);
    client.put(key, tx);
    tx.start();
  }

  /** Delivers a response to the client transaction it belongs to; false when none matches. */
  public boolean receive(SipResponse response) {
    ClientTransaction tx = client.get(key(response, response.cseq().method()));
    if (tx == null) {
      return false;
    }
    tx.onResponse(response);
    return true;
  }

  /** Sends outside any transaction (2xx retransmissions, stateless answers). */
  public void transmit(SipMessage message, SipPeer peer) {
    transmitted++;
    outbound.send(message, peer);
  }

  void scheduleTermination(ServerTransaction tx, long delay) {
    scheduler.schedule(delay, () -> terminateNow(tx));
  }

  void terminateNow(ServerTransaction tx) {
    if (tx instanceof InviteServerTransaction ist) {
      ist.terminate();
    } else if (tx instanceof NonInviteServerTransaction nist) {
      nist.terminate();
    }
    server.remove(tx.key(), tx);
  }

  void ackTimeout(InviteServerTransaction tx) {
    listener.ackTimeout(tx);
  }

  void removeClient(ClientTransaction tx) {
    client.remove(tx.key(), tx);
  }

  public SipTimers scheduler() {
    return scheduler;
  }

  public TimerValues timers() {
    return timers;
  }

  public SipOutbound outbound() {
    return outbound;
  }

  public int serverTransactionCount() {
    return server.size();
  }

  public int clientTransactionCount() {
    return client.size();
  }

  public long transmittedCount() {
    return transmitted;
  }

  /**
   * branch + sent-by + method (RFC 3261 §17.2.3). Pre-RFC 3261 peers without the magic cookie fall
   * back to Call-ID, CSeq number, From tag and the whole top Via.
   */
  static String key(SipMessage m, String method) {
    Via via = m.topVia();
    String branch = via.branch();
    if (branch != null && branch.startsWith(SipConstants.BRANCH_COOKIE)) {
      return branch + '|' + via.sentBy() + '|' + method;
    }
    return m.callId() + '|' + m.cseq().number() + '|' + via + '|' + method;
  }
}
