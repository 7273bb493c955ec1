package dev.switchboard.voice.call;

import dev.switchboard.voice.dialog.Dialog;
import dev.switchboard.voice.sip.SipResponse;
import dev.switchboard.voice.transaction.InviteServerTransaction;
import dev.switchboard.voice.transaction.SipPeer;
import dev.switchboard.voice.transaction.SipTimers;
import io.opentelemetry.api.trace.Span;

/** Mutable per-call state of the user agent; touched only on the SIP thread. */
final class Call {
  enum State {
    /** 180 sent, 200 not yet. */
    RINGING,
    /** 200 sent, waiting for the ACK. */
    ANSWERED,
    ACTIVE,
    ENDED
  }

  /** A 2xx to an INVITE that is retransmitted until its ACK (RFC 3261 §13.3.1.4). */
  static final class Pending2xx {
    final SipResponse response;
    final long cseq;
    final boolean awaitingAnswerInAck;
    long interval;
    long elapsed;
    SipTimers.Cancellable timer;

    Pending2xx(SipResponse response, long cseq, boolean awaitingAnswerInAck) {
      this.response = response;
      this.cseq = cseq;
      this.awaitingAnswerInAck = awaitingAnswerInAck;
    }
  }

  final Dialog dialog;
  final InviteServerTransaction initialInvite;
  final SipPeer peer;
  final int rtpPort;
  final long sdpSessionId;
  final boolean callerSupportsTimer;
  long sdpVersion;
  CallSession session;
  State state = State.RINGING;
  Pending2xx pending2xx;
  InviteServerTransaction pendingReinvite;
  SipTimers.Cancellable ringTimer;
  SipTimers.Cancellable sessionTimer;
  SipTimers.Cancellable durationTimer;
  int sessionExpires;
  boolean weRefresh;
  boolean transferInProgress;

  /** The initial INVITE's server span until the call is established or ends; then null. */
  Span inviteSpan;

  Call(
      Dialog dialog,
      InviteServerTransaction initialInvite,
      SipPeer peer,
      int rtpPort,
      CallSession session,
      boolean callerSupportsTimer) {
    this.dialog = dialog;
    this.initialInvite = initialInvite;
    this.peer = peer;
    this.rtpPort = rtpPort;
    this.session = session;
    this.callerSupportsTimer = callerSupportsTimer;
    this.sdpSessionId = Math.abs(System.nanoTime() % 1_000_000_000L);
    this.sdpVersion = 1;
  }

  void cancelTimers() {
    for (SipTimers.Cancellable t :
        new SipTimers.Cancellable[] {
          ringTimer, sessionTimer, durationTimer, pending2xx == null ? null : pending2xx.timer
        }) {
      if (t != null) {
        t.cancel();
      }
    }
  }
}
