package dev.switchboard.voice.call;

import io.opentelemetry.context.Context;

/**
 * The seam between signalling and media. The SIP layer allocates the RTP port, negotiates the codec
 * and tells the handler; the handler opens the RTP socket on {@code session.media().localPort()},
 * sends to {@code remoteAddress:remotePort}, and runs the speech pipeline. Every callback runs on
 * the SIP thread and must return quickly (hand work to the media threads). Use the {@link
 * CallControl} given at start to end or transfer the call.
 */
public interface CallMediaHandler {

  /** The call is answered and acknowledged; media may flow. */
  void onCallStarted(CallSession session, CallControl control);

  /**
   * As {@link #onCallStarted(CallSession, CallControl)}, with the trace the call's INVITE began:
   * what the handler publishes about the start continues it. Passed explicitly because the SIP
   * thread is an event loop, where the current OpenTelemetry context cannot be relied on.
   */
  default void onCallStarted(CallSession session, CallControl control, Context trace) {
    onCallStarted(session, control);
  }

  /**
   * A re-INVITE or UPDATE changed the media: hold ({@code session.media().onHold()}), resume, a new
   * remote address, or a new codec. The local RTP port stays the same.
   */
  void onMediaChanged(CallSession session);

  /** A digit arrived by SIP INFO (RFC 4733 digits are detected by the media side itself). */
  void onDtmf(CallSession session, DtmfEvent event);

  /** The call is over; release everything for it. Called once, also for calls never started. */
  void onCallEnded(CallSession session, CallEndReason reason);

  /** A handler that ignores media entirely (signalling-only runs and benchmarks). */
  CallMediaHandler NONE =
      new CallMediaHandler() {
        @Override
        public void onCallStarted(CallSession session, CallControl control) {}

        @Override
        public void onMediaChanged(CallSession session) {}

        @Override
        public void onDtmf(CallSession session, DtmfEvent event) {}

        @Override
        public void onCallEnded(CallSession session, CallEndReason reason) {}
      };
}
