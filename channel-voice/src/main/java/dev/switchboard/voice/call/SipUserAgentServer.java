package dev.switchboard.voice.call;

import dev.switchboard.voice.dialog.Dialog;
import dev.switchboard.voice.dialog.DialogRequests;
import dev.switchboard.voice.sdp.NegotiatedMedia;
import dev.switchboard.voice.sdp.SdpNegotiator;
import dev.switchboard.voice.sdp.SdpProtocolException;
import dev.switchboard.voice.sdp.SessionDescription;
import dev.switchboard.voice.security.SipAccessPolicy;
import dev.switchboard.voice.security.SourceRateLimiter;
import dev.switchboard.voice.sip.NameAddress;
import dev.switchboard.voice.sip.SipConstants;
import dev.switchboard.voice.sip.SipHeaders;
import dev.switchboard.voice.sip.SipMessage;
import dev.switchboard.voice.sip.SipParameters;
import dev.switchboard.voice.sip.SipParseResult;
import dev.switchboard.voice.sip.SipProtocolException;
import dev.switchboard.voice.sip.SipRequest;
import dev.switchboard.voice.sip.SipResponse;
import dev.switchboard.voice.sip.SipResponses;
import dev.switchboard.voice.sip.SipSerializer;
import dev.switchboard.voice.sip.SipUri;
import dev.switchboard.voice.sip.Via;
import dev.switchboard.voice.transaction.InviteServerTransaction;
import dev.switchboard.voice.transaction.ServerTransaction;
import dev.switchboard.voice.transaction.SipOutbound;
import dev.switchboard.voice.transaction.SipPeer;
import dev.switchboard.voice.transaction.SipTimers;
import dev.switchboard.voice.transaction.TimerValues;
import dev.switchboard.voice.transaction.TransactionLayer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * The transaction user: a back-to-nobody user agent server that answers calls. It receives parsed
 * messages from the transport, applies access control and admission, runs offer/answer, keeps the
 * dialogs and tells the {@link CallMediaHandler}. Single-threaded: every method runs on the SIP
 * thread (the transport's event loop); {@link CallControl} hops onto it through {@code sipThread}.
 */
public final class SipUserAgentServer implements TransactionLayer.Listener, CallControl {
  private static final Logger LOG = Logger.getLogger(SipUserAgentServer.class);

  private final SipOutbound outbound;
  private final SipTimers timers;
  private final TransactionLayer transactions;
  private final SipAccessPolicy access;
  private final SourceRateLimiter inviteLimiter;
  private final CallAdmission admission;
  private final RtpPortAllocator ports;
  private final CallerIdentityResolver identities;
  private final SdpNegotiator sdp;
  private final UserAgentSettings settings;
  private final CallMediaHandler media;
  private final SipStats stats;
  private final Executor sipThread;
  private final InviteTracing tracing;
  private final Map<String, Call> calls = new HashMap<>();

  public SipUserAgentServer(
      SipOutbound outbound,
      SipTimers timers,
      TimerValues timerValues,
      SipAccessPolicy access,
      SourceRateLimiter inviteLimiter,
      CallAdmission admission,
      RtpPortAllocator ports,
      CallerIdentityResolver identities,
      UserAgentSettings settings,
      CallMediaHandler media,
      SipStats stats,
      Executor sipThread) {
    this(
        outbound,
        timers,
        timerValues,
        access,
        inviteLimiter,
        admission,
        ports,
        identities,
        settings,
        media,
        stats,
        sipThread,
        InviteTracing.disabled());
  }

  /** As above, with a server span per incoming initial INVITE. */
  public SipUserAgentServer(
      SipOutbound outbound,
      SipTimers timers,
      TimerValues timerValues,
      SipAccessPolicy access,
      SourceRateLimiter inviteLimiter,
      CallAdmission admission,
      RtpPortAllocator ports,
      CallerIdentityResolver identities,
      UserAgentSettings settings,
      CallMediaHandler media,
      SipStats stats,
      Executor sipThread,
      InviteTracing tracing) {
    this.tracing = tracing;
    this.outbound = outbound;
    this.timers = timers;
    this.transactions = new TransactionLayer(outbound, timers, timerValues, this);
    this.access = access;
    this.inviteLimiter = inviteLimiter;
    this.admission = admission;
    this.ports = ports;
    this.identities = identities;
    this.settings = settings;
    this.sdp =
        new SdpNegotiator(
            settings.codecPreference(),
            settings.telephoneEventPayloadType(),
            settings.ptimeMs(),
            settings.mediaAddress());
    this.media = media;
    this.stats = stats;
    this.sipThread = sipThread;
  }

  // ---------------------------------------------------------------- entry points (SIP thread)

  /** Everything the transport reads goes through here. Never throws. */
  public void onParseResult(SipParseResult result, SipPeer peer, int wireBytes) {
    stats.received.incrementAndGet();
    try {
      if (result instanceof SipParseResult.Parsed p) {
        SipMessage m = p.message();
        if (m instanceof SipRequest r) {
          onRequest(stampVia(r, peer), peer, wireBytes);
        } else if (m instanceof SipResponse r) {
          if (!transactions.receive(r)) {
            stats.strayResponses.incrementAndGet();
          }
        }
      } else if (result instanceof SipParseResult.Malformed bad) {
        onMalformed(bad, peer, wireBytes);
      }
    } catch (SipProtocolException e) {
      stats.malformed.incrementAndGet();
      LOG.debugf("Protocol error from %s: %s", peer.ip(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.errorf(e, "Unexpected failure handling a SIP message from %s", peer.ip());
    }
  }

  private void onMalformed(SipParseResult.Malformed bad, SipPeer peer, int wireBytes) {
    stats.malformed.incrementAndGet();
    SipRequest partial = bad.partial();
    if (partial == null || partial.is(SipConstants.ACK)) {
      stats.malformedDropped.incrementAndGet();
      LOG.debugf("Dropped malformed SIP from %s: %s", peer.ip(), bad.reason());
      return;
    }
    SipRequest stamped;
    try {
      stamped = stampVia(partial, peer);
    } catch (SipProtocolException e) {
      stats.malformedDropped.incrementAndGet();
      return;
    }
    SipResponse r = SipResponses.create(stamped, bad.status(), bad.reason(), null);
    r.headers().add(SipConstants.SERVER, settings.userAgent());
    sendStateless(r, stamped, peer, wireBytes);
  }

  private void onRequest(SipRequest req, SipPeer peer, int wireBytes) {
    if (req.is(SipConstants.ACK)) {
      TransactionLayer.Received rx = transactions.receive(req, peer);
      if (rx.disposition() == TransactionLayer.Disposition.ACK_FOR_DIALOG) {
        Call call = inDialogCall(req);
        if (call != null) {
          onAck(call, req);
        }
      }
      return;
    }
    Call dialogCall = inDialogCall(req);
    SipAccessPolicy.Decision decision = null;
    if (dialogCall == null && !isCancelOfKnownInvite(req, peer)) {
      decision = access.check(req, peer.address().getAddress(), System.currentTimeMillis());
      if (decision instanceof SipAccessPolicy.Decision.Denied d) {
        stats.unauthorized.incrementAndGet();
        rejectStateless(req, peer, wireBytes, 403, d.reason(), List.of());
        if (req.is(SipConstants.INVITE)) {
          tracing.refused(req, peer, 403);
        }
        return;
      }
      if (decision instanceof SipAccessPolicy.Decision.Challenge c) {
        stats.unauthorized.incrementAndGet();
        rejectStateless(req, peer, wireBytes, 401, null, c.wwwAuthenticate());
        if (req.is(SipConstants.INVITE)) {
          tracing.refused(req, peer, 401);
        }
        return;
      }
    }
    TransactionLayer.Received rx = transactions.receive(req, peer);
    if (rx.disposition() != TransactionLayer.Disposition.NEW) {
      return;
    }
    ServerTransaction tx = rx.transaction();
    if (hasToTag(req) && dialogCall == null) {
      respond(tx, 481, null);
      return;
    }
    if (dialogCall != null
        && !req.is(SipConstants.CANCEL)
        && !dialogCall.dialog.acceptRemoteCSeq(req.cseq().number())) {
      respond(tx, 500, "CSeq out of order");
      return;
    }
    String unsupported = unsupportedRequirements(req);
    if (unsupported != null && !req.is(SipConstants.CANCEL)) {
      SipResponse r = response(req, 420, null, null);
      r.headers().add(SipConstants.UNSUPPORTED, unsupported);
      tx.respond(r);
      return;
    }
    switch (req.method()) {
      case SipConstants.INVITE -> {
        if (dialogCall == null) {
          tracedInitialInvite(req, (InviteServerTransaction) tx, peer, decision);
        } else {
          onReinvite(dialogCall, req, (InviteServerTransaction) tx);
        }
      }
      case SipConstants.CANCEL -> onCancel(req, tx);
      case SipConstants.BYE -> onBye(dialogCall, tx);
      case SipConstants.OPTIONS -> onOptions(req, tx);
      case SipConstants.INFO -> onInfo(dialogCall, req, tx);
      case SipConstants.UPDATE -> onUpdate(dialogCall, req, tx);
      case SipConstants.NOTIFY -> onNotify(dialogCall, req, tx);
      default -> {
        boolean known =
            SipConstants.KNOWN_UNSUPPORTED.contains(req.method()) || req.is(SipConstants.REFER);
        SipResponse r = response(req, known ? 405 : 501, null, null);
        r.headers().add(SipConstants.ALLOW_HEADER, SipConstants.ALLOW);
        tx.respond(r);
      }
    }
  }

  // ---------------------------------------------------------------- INVITE

  /**
   * Handles a new call inside its INVITE's server span. A call that is set up keeps the span until
   * it is established or ends; an INVITE answered with a final error here ends it at once.
   */
  private void tracedInitialInvite(
      SipRequest req, InviteServerTransaction tx, SipPeer peer, SipAccessPolicy.Decision decision) {
    Span span = tracing.start(req, peer);
    if (decision instanceof SipAccessPolicy.Decision.Trusted t) {
      span.setAttribute(InviteTracing.TRUNK, t.trunk());
    }
    try {
      onInitialInvite(req, tx, peer, decision, span);
    } catch (RuntimeException e) {
      span.recordException(e);
      throw e;
    } finally {
      Call call = calls.get(req.callId());
      // Not handed to a call (refused here) and not already ended by a call that ended at once.
      if ((call == null || call.inviteSpan != span) && span.isRecording()) {
        InviteTracing.finish(span, tx.finalStatus(), "refused", false);
      }
    }
  }

  private void onInitialInvite(
      SipRequest req,
      InviteServerTransaction tx,
      SipPeer peer,
      SipAccessPolicy.Decision decision,
      Span span) {
    if (!inviteLimiter.tryAcquire(peer.ip(), System.nanoTime())) {
      stats.rateLimited.incrementAndGet();
      respond503(tx, "Too many calls from this source");
      return;
    }
    tx.respond(response(req, 100, null, null));
    boolean trusted = decision instanceof SipAccessPolicy.Decision.Trusted;
    String trunk =
        decision instanceof SipAccessPolicy.Decision.Trusted t
            ? t.trunk()
            : decision instanceof SipAccessPolicy.Decision.Authenticated a
                ? "user:" + a.user()
                : "";
    CallerIdentity caller = identities.resolve(req.headers(), trusted);
    if (caller.anonymous() && settings.rejectAnonymous()) {
      respond(tx, 433, null);
      return;
    }
    SessionTimer timer = sessionTimer(req);
    if (timer.tooSmall) {
      SipResponse r = response(req, 422, null, null);
      r.headers().add(SipConstants.MIN_SE, Integer.toString(settings.minSessionExpiresSeconds()));
      tx.respond(r);
      return;
    }
    SessionDescription offer = null;
    if (req.body().length > 0) {
      if (!"application/sdp".equals(req.contentType())) {
        SipResponse r = response(req, 415, null, null);
        r.headers().add(SipConstants.ACCEPT, "application/sdp");
        tx.respond(r);
        return;
      }
      try {
        offer = SessionDescription.parse(req.bodyText());
      } catch (SdpProtocolException e) {
        respond(tx, 400, "Malformed SDP: " + e.getMessage());
        return;
      }
    }
    CallAdmission.Decision admitted = admission.tryAdmit();
    if (admitted != CallAdmission.Decision.ADMITTED) {
      (admitted == CallAdmission.Decision.DRAINING
              ? stats.callsRejectedDraining
              : stats.callsRejectedCapacity)
          .incrementAndGet();
      respond503(tx, admitted == CallAdmission.Decision.DRAINING ? "Draining" : "At capacity");
      return;
    }
    OptionalInt port = ports.allocate();
    if (port.isEmpty()) {
      admission.release();
      stats.callsRejectedCapacity.incrementAndGet();
      respond503(tx, "No RTP port free");
      return;
    }
    int rtpPort = port.getAsInt();
    NegotiatedMedia negotiated;
    String answerSdp;
    Call call;
    String localTag = DialogRequests.randomToken();
    long sdpSession = Math.abs(System.nanoTime() % 1_000_000_000L);
    if (offer != null) {
      SdpNegotiator.Outcome outcome = sdp.answer(offer, rtpPort, sdpSession, 1);
      if (outcome instanceof SdpNegotiator.Outcome.NotAcceptable na) {
        ports.release(rtpPort);
        admission.release();
        SipResponse r = response(req, 488, null, null);
        r.headers()
            .add(
                SipConstants.WARNING,
                "304 " + outbound.advertisedHost() + " \"" + na.reason() + "\"");
        tx.respond(r);
        return;
      }
      SdpNegotiator.Outcome.Agreed agreed = (SdpNegotiator.Outcome.Agreed) outcome;
      negotiated = agreed.media();
      answerSdp = agreed.answerSdp();
    } else {
      // No offer: ours goes in the 200 and the answer comes in the ACK (RFC 3261 §13.2.1).
      negotiated = null;
      answerSdp = sdp.offer(rtpPort, sdpSession, 1);
    }
    Dialog dialog;
    try {
      dialog = createDialog(req, localTag, peer);
    } catch (SipProtocolException e) {
      ports.release(rtpPort);
      admission.release();
      respond(tx, 400, e.getMessage());
      return;
    }
    Optional<String> called =
        identities
            .e164(req.uri())
            .or(
                () ->
                    identities.e164(
                        NameAddress.parse(req.headers().firstOrNull(SipConstants.TO)).uriText()));
    CallSession session =
        new CallSession(req.callId(), caller, called, trunk, negotiated, Instant.now());
    call =
        new Call(
            dialog,
            tx,
            peer,
            rtpPort,
            session,
            req.headers().hasOption(SipConstants.SUPPORTED, "timer"));
    call.sessionExpires = timer.interval;
    call.weRefresh = timer.weRefresh;
    call.inviteSpan = span;
    calls.put(req.callId(), call);
    stats.callsStarted.incrementAndGet();
    LOG.infof(
        "Call %s offered from trunk '%s' (caller %s)",
        req.callId(),
        trunk,
        caller.anonymous() ? "anonymous" : caller.e164().isPresent() ? "identified" : "unknown");
    tx.respond(dialogResponse(call, req, 180, null));
    final String body = answerSdp;
    final boolean awaitingAnswer = offer == null;
    Runnable answer = () -> answer(call, req, body, awaitingAnswer);
    if (settings.ringTimeMs() > 0) {
      call.ringTimer = timers.schedule(settings.ringTimeMs(), answer);
    } else {
      answer.run();
    }
  }

  private void answer(Call call, SipRequest invite, String sdpBody, boolean awaitingAnswerInAck) {
    if (call.state != Call.State.RINGING || !call.initialInvite.isProceeding()) {
      return;
    }
    call.state = Call.State.ANSWERED;
    call.dialog.confirm();
    SipResponse ok = dialogResponse(call, invite, 200, sdpBody);
    addSessionTimerHeaders(call, ok);
    call.initialInvite.respond(ok);
    if (call.inviteSpan != null) {
      call.inviteSpan.addEvent("answered");
    }
    startRetransmitting2xx(call, ok, invite.cseq().number(), awaitingAnswerInAck);
    if (settings.maxCallDurationSeconds() > 0) {
      call.durationTimer =
          timers.schedule(
              settings.maxCallDurationSeconds() * 1000L,
              () -> hangUpNow(call, CallEndReason.TIME_LIMIT));
    }
  }

  private void onReinvite(Call call, SipRequest req, InviteServerTransaction tx) {
    if (call.state == Call.State.ENDED) {
      respond(tx, 481, null);
      return;
    }
    if (call.pending2xx != null
        || call.pendingReinvite != null
        || call.state != Call.State.ACTIVE) {
      SipResponse r = response(req, call.state == Call.State.ACTIVE ? 491 : 500, null, null);
      if (r.status() == 500) {
        r.headers().add(SipConstants.RETRY_AFTER, Integer.toString(1 + (int) (Math.random() * 5)));
      }
      tx.respond(r);
      return;
    }
    refreshTarget(call, req);
    SessionTimer timer = sessionTimer(req);
    if (timer.tooSmall) {
      SipResponse r = response(req, 422, null, null);
      r.headers().add(SipConstants.MIN_SE, Integer.toString(settings.minSessionExpiresSeconds()));
      tx.respond(r);
      return;
    }
    String body;
    boolean awaitingAnswer;
    if (req.body().length > 0) {
      SdpNegotiator.Outcome outcome;
      try {
        outcome =
            sdp.answer(
                SessionDescription.parse(req.bodyText()),
                call.rtpPort,
                call.sdpSessionId,
                ++call.sdpVersion);
      } catch (SdpProtocolException e) {
        respond(tx, 400, "Malformed SDP: " + e.getMessage());
        return;
      }
      if (outcome instanceof SdpNegotiator.Outcome.NotAcceptable na) {
        SipResponse r = response(req, 488, null, null);
        r.headers()
            .add(
                SipConstants.WARNING,
                "304 " + outbound.advertisedHost() + " \"" + na.reason() + "\"");
        tx.respond(r);
        return;
      }
      SdpNegotiator.Outcome.Agreed agreed = (SdpNegotiator.Outcome.Agreed) outcome;
      body = agreed.answerSdp();
      awaitingAnswer = false;
      changeMedia(call, agreed.media());
    } else {
      body = sdp.offer(call.rtpPort, call.sdpSessionId, ++call.sdpVersion);
      awaitingAnswer = true;
    }
    call.sessionExpires = timer.interval;
    call.weRefresh = timer.weRefresh;
    SipResponse ok = dialogResponse(call, req, 200, body);
    addSessionTimerHeaders(call, ok);
    tx.respond(ok);
    startRetransmitting2xx(call, ok, req.cseq().number(), awaitingAnswer);
    armSessionTimer(call);
  }

  private void onAck(Call call, SipRequest ack) {
    Call.Pending2xx pending = call.pending2xx;
    if (pending == null || ack.cseq().number() != pending.cseq) {
      return;
    }
    if (pending.timer != null) {
      pending.timer.cancel();
    }
    call.pending2xx = null;
    if (pending.awaitingAnswerInAck) {
      NegotiatedMedia answered = null;
      if (ack.body().length > 0 && "application/sdp".equals(ack.contentType())) {
        try {
          SdpNegotiator.Outcome o =
              sdp.readAnswer(SessionDescription.parse(ack.bodyText()), call.rtpPort);
          if (o instanceof SdpNegotiator.Outcome.Agreed a) {
            answered = a.media();
          }
        } catch (SdpProtocolException e) {
          LOG.debugf(
              "Call %s: unreadable SDP answer in ACK: %s", call.dialog.callId(), e.getMessage());
        }
      }
      if (answered == null) {
        // RFC 3261 §13.3.1.4: a missing or unacceptable answer in the ACK ends the session.
        LOG.infof(
            "Call %s: ACK without an acceptable SDP answer; hanging up", call.dialog.callId());
        hangUpNow(call, CallEndReason.WE_HUNG_UP);
        return;
      }
      if (call.state == Call.State.ACTIVE) {
        changeMedia(call, answered);
      } else {
        call.session = call.session.withMedia(answered);
      }
    }
    if (call.state == Call.State.ANSWERED) {
      call.state = Call.State.ACTIVE;
      armSessionTimer(call);
      LOG.infof(
          "Call %s established (%s, pt %d, telephone-event %d)",
          call.dialog.callId(),
          call.session.media().codec(),
          call.session.media().payloadType(),
          call.session.media().telephoneEventPayloadType());
      Span span = call.inviteSpan;
      call.inviteSpan = null;
      if (span == null) {
        media.onCallStarted(call.session, this);
        return;
      }
      // The media side tells the core in the INVITE's trace: call_started continues it.
      try {
        media.onCallStarted(call.session, this, Context.root().with(span));
      } finally {
        InviteTracing.finish(span, call.initialInvite.finalStatus(), "established", false);
      }
    }
  }

  private void startRetransmitting2xx(
      Call call, SipResponse ok, long cseq, boolean awaitingAnswer) {
    Call.Pending2xx pending = new Call.Pending2xx(ok, cseq, awaitingAnswer);
    call.pending2xx = pending;
    long t1 = transactions.timers().t1();
    pending.interval = t1;
    if (call.peer.transport().reliable()) {
      // Reliable transport: no retransmission, but still give up when no ACK comes (Timer H
      // length).
      pending.timer =
          timers.schedule(transactions.timers().timeout(), () -> ackTimeout(call, pending));
      return;
    }
    pending.timer = timers.schedule(t1, () -> retransmit2xx(call, pending));
  }

  private void retransmit2xx(Call call, Call.Pending2xx pending) {
    if (call.pending2xx != pending || call.state == Call.State.ENDED) {
      return;
    }
    pending.elapsed += pending.interval;
    if (pending.elapsed >= transactions.timers().timeout()) {
      ackTimeout(call, pending);
      return;
    }
    transactions.transmit(pending.response, call.peer);
    pending.interval = Math.min(pending.interval * 2, transactions.timers().t2());
    pending.timer = timers.schedule(pending.interval, () -> retransmit2xx(call, pending));
  }

  private void ackTimeout(Call call, Call.Pending2xx pending) {
    if (call.pending2xx != pending) {
      return;
    }
    call.pending2xx = null;
    LOG.infof("Call %s: no ACK for our 2xx; hanging up", call.dialog.callId());
    endCall(call, CallEndReason.ACK_TIMEOUT, true);
  }

  @Override
  public void ackTimeout(InviteServerTransaction transaction) {
    // A 3xx-6xx was never acknowledged; the call (if any) is already ended. Nothing else to do.
  }

  // ---------------------------------------------------------------- CANCEL, BYE

  private void onCancel(SipRequest cancel, ServerTransaction tx) {
    InviteServerTransaction invite = transactions.inviteFor(cancel);
    if (invite == null) {
      respond(tx, 481, null);
      return;
    }
    respond(tx, 200, null);
    if (invite.isProceeding()) {
      Call call = calls.get(invite.request().callId());
      SipResponse terminated =
          call != null
              ? response(invite.request(), 487, null, call.dialog.localTag())
              : response(invite.request(), 487, null, DialogRequests.randomToken());
      invite.respond(terminated);
      if (call != null && call.initialInvite == invite) {
        endCall(call, CallEndReason.CALLER_CANCELLED, false);
      }
    }
  }

  private void onBye(Call call, ServerTransaction tx) {
    respond(tx, 200, null);
    if (call.state == Call.State.RINGING && call.initialInvite.isProceeding()) {
      call.initialInvite.respond(
          response(call.initialInvite.request(), 487, null, call.dialog.localTag()));
    }
    endCall(call, CallEndReason.CALLER_HUNG_UP, false);
  }

  // ---------------------------------------------------------------- OPTIONS, INFO, UPDATE, NOTIFY

  private void onOptions(SipRequest req, ServerTransaction tx) {
    SipResponse r = response(req, 200, null, hasToTag(req) ? null : DialogRequests.randomToken());
    r.headers().add(SipConstants.ALLOW_HEADER, SipConstants.ALLOW);
    r.headers()
        .add(SipConstants.ACCEPT, "application/sdp, application/dtmf-relay, application/dtmf");
    r.headers().add(SipConstants.SUPPORTED, "timer");
    tx.respond(r);
  }

  private void onInfo(Call call, SipRequest req, ServerTransaction tx) {
    if (call == null) {
      respond(tx, 481, null);
      return;
    }
    String type = req.contentType();
    if (req.body().length == 0) {
      respond(tx, 200, null);
      return;
    }
    if (!"application/dtmf-relay".equals(type) && !"application/dtmf".equals(type)) {
      SipResponse r = response(req, 415, null, null);
      r.headers().add(SipConstants.ACCEPT, "application/dtmf-relay, application/dtmf");
      tx.respond(r);
      return;
    }
    DtmfEvent event = parseDtmf(req.bodyText(), type);
    if (event == null) {
      respond(tx, 400, "Invalid DTMF body");
      return;
    }
    respond(tx, 200, null);
    media.onDtmf(call.session, event);
    if (settings.transferDigit().isPresent()
        && settings.transferDigit().get() == event.digit()
        && settings.transferTarget().isPresent()) {
      startTransfer(call, settings.transferTarget().get());
    }
  }

  static DtmfEvent parseDtmf(String body, String type) {
    String signal = null;
    int duration = 0;
    if ("application/dtmf".equals(type) && !body.contains("=")) {
      signal = body.trim();
    } else {
      for (String line : body.split("\r?\n")) {
        int eq = line.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String k = line.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String v = line.substring(eq + 1).trim();
        if (k.equals("signal")) {
          signal = v;
        } else if (k.equals("duration") && v.matches("[0-9]{1,6}")) {
          duration = Integer.parseInt(v);
        }
      }
    }
    if (signal == null || signal.length() != 1) {
      // RFC 4733 event numbers 10/11 are '*' and '#' in some relays.
      if ("10".equals(signal)) {
        signal = "*";
      } else if ("11".equals(signal)) {
        signal = "#";
      } else {
        return null;
      }
    }
    char c = Character.toUpperCase(signal.charAt(0));
    return DtmfEvent.isDigit(c) ? new DtmfEvent(c, duration, DtmfEvent.Source.SIP_INFO) : null;
  }

  private void onUpdate(Call call, SipRequest req, ServerTransaction tx) {
    if (call == null || call.state == Call.State.ENDED) {
      respond(tx, 481, null);
      return;
    }
    refreshTarget(call, req);
    SessionTimer timer = sessionTimer(req);
    if (timer.tooSmall) {
      SipResponse r = response(req, 422, null, null);
      r.headers().add(SipConstants.MIN_SE, Integer.toString(settings.minSessionExpiresSeconds()));
      tx.respond(r);
      return;
    }
    String body = null;
    if (req.body().length > 0) {
      SdpNegotiator.Outcome outcome;
      try {
        outcome =
            sdp.answer(
                SessionDescription.parse(req.bodyText()),
                call.rtpPort,
                call.sdpSessionId,
                ++call.sdpVersion);
      } catch (SdpProtocolException e) {
        respond(tx, 400, "Malformed SDP: " + e.getMessage());
        return;
      }
      if (outcome instanceof SdpNegotiator.Outcome.NotAcceptable na) {
        respond(tx, 488, null);
        return;
      }
      SdpNegotiator.Outcome.Agreed agreed = (SdpNegotiator.Outcome.Agreed) outcome;
      body = agreed.answerSdp();
      changeMedia(call, agreed.media());
    }
    call.sessionExpires = timer.interval;
    call.weRefresh = timer.weRefresh;
    SipResponse ok = dialogResponse(call, req, 200, body);
    addSessionTimerHeaders(call, ok);
    tx.respond(ok);
    if (call.state == Call.State.ACTIVE) {
      armSessionTimer(call);
    }
  }

  private void onNotify(Call call, SipRequest req, ServerTransaction tx) {
    if (call == null || !call.transferInProgress) {
      respond(tx, 481, null);
      return;
    }
    respond(tx, 200, null);
    String frag = req.bodyText().trim();
    if (frag.regionMatches(true, 0, "SIP/2.0 ", 0, 8) && frag.length() >= 11) {
      char cls = frag.charAt(8);
      if (cls == '2') {
        LOG.infof("Call %s transferred", call.dialog.callId());
        hangUpNow(call, CallEndReason.TRANSFERRED);
      } else if (cls >= '3') {
        LOG.infof("Call %s: transfer failed (%s)", call.dialog.callId(), frag.substring(8, 11));
        call.transferInProgress = false;
      }
    }
  }

  // ---------------------------------------------------------------- CallControl

  @Override
  public void hangUp(String callId, CallEndReason reason) {
    sipThread.execute(
        () -> {
          Call call = calls.get(callId);
          if (call != null) {
            hangUpNow(call, reason);
          }
        });
  }

  @Override
  public void transfer(String callId, String target) {
    sipThread.execute(
        () -> {
          Call call = calls.get(callId);
          if (call != null) {
            startTransfer(call, target);
          }
        });
  }

  private void hangUpNow(Call call, CallEndReason reason) {
    if (call.state == Call.State.RINGING) {
      call.initialInvite.respond(
          response(
              call.initialInvite.request(),
              480,
              "Temporarily Unavailable",
              call.dialog.localTag()));
      endCall(call, reason, false);
    } else {
      endCall(call, reason, true);
    }
  }

  private void startTransfer(Call call, String target) {
    if (call.state != Call.State.ACTIVE || call.transferInProgress) {
      return;
    }
    String referTo = target;
    if (target.matches("\\+?[0-9]{3,17}")) {
      SipUri remote = call.dialog.remote().uri();
      referTo = "sip:" + target + "@" + (remote.isSip() ? remote.host() : call.peer.ip());
    }
    call.transferInProgress = true;
    SipRequest refer = inDialogRequest(call, SipConstants.REFER);
    refer.headers().add(SipConstants.REFER_TO, "<" + referTo + ">");
    refer.headers().add(SipConstants.REFERRED_BY, "<" + localUri(call.peer) + ">");
    transactions.sendRequest(
        refer,
        call.dialog.peer(),
        r -> {
          if (r.status() >= 300) {
            LOG.infof("Call %s: REFER refused with %d", call.dialog.callId(), r.status());
            call.transferInProgress = false;
          }
        },
        () -> call.transferInProgress = false);
  }

  // ---------------------------------------------------------------- shutdown

  /** Ends every call with BYE (drain grace period over). */
  public void hangUpAll(CallEndReason reason) {
    for (Call call : new ArrayList<>(calls.values())) {
      hangUpNow(call, reason);
    }
  }

  public int activeCalls() {
    return calls.size();
  }

  public TransactionLayer transactions() {
    return transactions;
  }

  // ---------------------------------------------------------------- helpers

  private void endCall(Call call, CallEndReason reason, boolean sendBye) {
    if (call.state == Call.State.ENDED) {
      return;
    }
    boolean confirmed = call.dialog.state() == Dialog.State.CONFIRMED;
    call.state = Call.State.ENDED;
    call.cancelTimers();
    call.dialog.terminate();
    calls.remove(call.dialog.callId(), call);
    ports.release(call.rtpPort);
    admission.release();
    stats.callsEnded.incrementAndGet();
    if (call.inviteSpan != null) {
      // Ended before it was established: cancelled, no ACK, or hung up while ringing.
      InviteTracing.finish(
          call.inviteSpan,
          call.initialInvite.finalStatus(),
          reason.name().toLowerCase(Locale.ROOT),
          reason == CallEndReason.ACK_TIMEOUT);
      call.inviteSpan = null;
    }
    LOG.infof("Call %s ended: %s", call.dialog.callId(), reason);
    if (sendBye && confirmed) {
      SipRequest bye = inDialogRequest(call, SipConstants.BYE);
      transactions.sendRequest(bye, call.dialog.peer(), r -> {}, () -> {});
    }
    media.onCallEnded(call.session, reason);
  }

  private void changeMedia(Call call, NegotiatedMedia newMedia) {
    call.session = call.session.withMedia(newMedia);
    if (call.state == Call.State.ACTIVE) {
      LOG.infof(
          "Call %s media changed: %s",
          call.dialog.callId(), newMedia.onHold() ? "on hold" : "active");
      media.onMediaChanged(call.session);
    }
  }

  private SipRequest inDialogRequest(Call call, String method) {
    SipPeer to = call.dialog.peer();
    return DialogRequests.create(
        call.dialog,
        method,
        to.transport().name(),
        outbound.advertisedHost(),
        outbound.advertisedPort(to.transport()),
        "<" + localUri(to) + ">");
  }

  private Dialog createDialog(SipRequest req, String localTag, SipPeer peer) {
    NameAddress from = NameAddress.parse(req.headers().firstOrNull(SipConstants.FROM));
    NameAddress to = NameAddress.parse(req.headers().firstOrNull(SipConstants.TO));
    String contact = req.headers().firstOrNull(SipConstants.CONTACT);
    if (contact == null) {
      throw new SipProtocolException("INVITE without Contact");
    }
    String target = NameAddress.parse(req.headers().values(SipConstants.CONTACT).get(0)).uriText();
    List<String> routes = req.headers().values(SipConstants.RECORD_ROUTE);
    SipPeer next = peer;
    if (!routes.isEmpty()) {
      next = hopFor(NameAddress.parse(routes.get(0)).uri(), peer);
    }
    return new Dialog(
        req.callId(),
        localTag,
        from.tag() == null ? "" : from.tag(),
        to,
        from,
        target,
        routes,
        req.cseq().number(),
        next);
  }

  /**
   * Where requests to the first Record-Route hop go; the flow the INVITE came on when it is that
   * hop.
   */
  private static SipPeer hopFor(SipUri route, SipPeer arrival) {
    String transport = route.transport();
    SipPeer.Transport t;
    if (route.scheme().equals("sips")) {
      t = SipPeer.Transport.TLS;
    } else {
      t = transport == null ? arrival.transport() : SipPeer.Transport.ofUriParameter(transport);
    }
    int defaultPort = t == SipPeer.Transport.TLS ? 5061 : 5060;
    InetSocketAddress address =
        new InetSocketAddress(
            route.host().replace("[", "").replace("]", ""), route.portOr(defaultPort));
    if (address.equals(arrival.address()) && t == arrival.transport()) {
      return arrival;
    }
    return new SipPeer(t, address, null);
  }

  private void refreshTarget(Call call, SipRequest req) {
    List<String> contacts = req.headers().values(SipConstants.CONTACT);
    if (!contacts.isEmpty()) {
      call.dialog.updateRemoteTarget(NameAddress.parse(contacts.get(0)).uriText());
    }
  }

  private Call inDialogCall(SipRequest req) {
    Call call = calls.get(req.callId());
    if (call == null) {
      return null;
    }
    String toTag = NameAddress.parse(req.headers().firstOrNull(SipConstants.TO)).tag();
    String fromTag = NameAddress.parse(req.headers().firstOrNull(SipConstants.FROM)).tag();
    if (req.is(SipConstants.CANCEL) || (req.is(SipConstants.INVITE) && toTag == null)) {
      return null;
    }
    if (call.dialog.localTag().equals(toTag)
        && call.dialog.remoteTag().equals(fromTag == null ? "" : fromTag)) {
      return call;
    }
    return null;
  }

  private boolean isCancelOfKnownInvite(SipRequest req, SipPeer peer) {
    if (!req.is(SipConstants.CANCEL)) {
      return false;
    }
    InviteServerTransaction invite = transactions.inviteFor(req);
    return invite != null && invite.peer().ip().equals(peer.ip());
  }

  private static boolean hasToTag(SipRequest req) {
    return NameAddress.parse(req.headers().firstOrNull(SipConstants.TO)).tag() != null;
  }

  /** Option tags in Require we do not implement (we implement only "timer"). */
  private static String unsupportedRequirements(SipRequest req) {
    List<String> missing = new ArrayList<>();
    for (String tag : req.headers().values(SipConstants.REQUIRE)) {
      if (!tag.equalsIgnoreCase("timer")) {
        missing.add(tag);
      }
    }
    return missing.isEmpty() ? null : String.join(", ", missing);
  }

  /** Adds received= and rport= to the top Via (RFC 3261 §18.2.1, RFC 3581). */
  private static SipRequest stampVia(SipRequest req, SipPeer peer) {
    List<String> vias = req.headers().values(SipConstants.VIA);
    Via top = Via.parse(vias.get(0));
    boolean changed = false;
    if (!top.host().equals(peer.ip())) {
      top.params().put("received", peer.ip());
      changed = true;
    }
    if (top.params().has("rport")) {
      top.params().put("rport", Integer.toString(peer.port()));
      top.params().put("received", peer.ip());
      changed = true;
    }
    if (!changed) {
      return req;
    }
    SipHeaders rebuilt = req.headers().copy().replaceFirstValue(SipConstants.VIA, top.toString());
    return new SipRequest(req.method(), req.uri(), rebuilt, req.body());
  }

  private SipResponse response(SipRequest req, int status, String reason, String toTag) {
    String tag = toTag;
    if (tag == null && status > 100) {
      Call call = calls.get(req.callId());
      tag = call != null ? call.dialog.localTag() : DialogRequests.randomToken();
    }
    SipResponse r = SipResponses.create(req, status, reason, tag);
    r.headers().add(SipConstants.SERVER, settings.userAgent());
    return r;
  }

  private void respond(ServerTransaction tx, int status, String reason) {
    tx.respond(response(tx.request(), status, reason, null));
  }

  private void respond503(ServerTransaction tx, String reason) {
    SipResponse r = response(tx.request(), 503, reason, null);
    r.headers().add(SipConstants.RETRY_AFTER, Integer.toString(settings.retryAfterSeconds()));
    tx.respond(r);
  }

  /** 18x/2xx that establish or live in a dialog: To tag, Contact, Record-Route, capabilities. */
  private SipResponse dialogResponse(Call call, SipRequest req, int status, String sdpBody) {
    SipResponse r = response(req, status, null, call.dialog.localTag());
    SipHeaders h = r.headers();
    for (String rr : req.headers().values(SipConstants.RECORD_ROUTE)) {
      h.add(SipConstants.RECORD_ROUTE, rr);
    }
    h.add(SipConstants.CONTACT, "<" + localUri(call.peer) + ">");
    if (status >= 200) {
      h.add(SipConstants.ALLOW_HEADER, SipConstants.ALLOW);
      h.add(SipConstants.SUPPORTED, "timer");
    }
    if (sdpBody != null && status >= 200) {
      return SipResponses.withBody(r, "application/sdp", sdpBody.getBytes(StandardCharsets.UTF_8));
    }
    return r;
  }

  private String localUri(SipPeer via) {
    String hp =
        DialogRequests.hostPort(
            outbound.advertisedHost(), outbound.advertisedPort(via.transport()));
    return "sip:switchboard@" + hp + via.transport().uriParameter();
  }

  /**
   * Stateless answer to a source we do not trust: never retransmitted, and never larger than the
   * request that caused it (no reflection amplification).
   */
  private void rejectStateless(
      SipRequest req,
      SipPeer peer,
      int wireBytes,
      int status,
      String reason,
      List<String> challenges) {
    SipResponse r = SipResponses.create(req, status, reason, DialogRequests.randomToken());
    for (String c : challenges) {
      r.headers().add(SipConstants.WWW_AUTHENTICATE, c);
    }
    if (challenges.size() > 1 && SipSerializer.encode(r).length > wireBytes) {
      // Too big with every algorithm: offer only the preferred one rather than nothing.
      r.headers()
          .remove(SipConstants.WWW_AUTHENTICATE)
          .add(SipConstants.WWW_AUTHENTICATE, challenges.get(0));
    }
    sendStateless(r, req, peer, wireBytes);
  }

  private void sendStateless(SipResponse r, SipRequest req, SipPeer peer, int wireBytes) {
    if (!access.isAllowListed(peer.address().getAddress())
        && SipSerializer.encode(r).length > wireBytes) {
      stats.amplificationSuppressed.incrementAndGet();
      return;
    }
    transactions.transmit(r, peer);
  }

  // ---------------------------------------------------------------- session timers (RFC 4028)

  private record SessionTimer(int interval, boolean weRefresh, boolean tooSmall) {}

  private SessionTimer sessionTimer(SipRequest req) {
    String se = req.headers().firstOrNull(SipConstants.SESSION_EXPIRES);
    boolean uacSupports =
        req.headers().hasOption(SipConstants.SUPPORTED, "timer")
            || req.headers().hasOption(SipConstants.REQUIRE, "timer");
    if (se == null) {
      if (uacSupports && settings.sessionExpiresSeconds() > 0) {
        return new SessionTimer(
            Math.max(settings.sessionExpiresSeconds(), settings.minSessionExpiresSeconds()),
            false,
            false);
      }
      return new SessionTimer(0, false, false);
    }
    int semi = se.indexOf(';');
    String num = (semi < 0 ? se : se.substring(0, semi)).trim();
    if (!num.matches("[0-9]{1,9}")) {
      throw new SipProtocolException("Invalid Session-Expires");
    }
    int interval = Integer.parseInt(num);
    if (interval < settings.minSessionExpiresSeconds()) {
      return new SessionTimer(interval, false, true);
    }
    String refresher = semi < 0 ? null : SipParameters.parse(se.substring(semi)).get("refresher");
    boolean weRefresh = !uacSupports || "uas".equalsIgnoreCase(refresher);
    return new SessionTimer(interval, weRefresh, false);
  }

  private void addSessionTimerHeaders(Call call, SipResponse ok) {
    if (call.sessionExpires <= 0) {
      return;
    }
    ok.headers()
        .add(
            SipConstants.SESSION_EXPIRES,
            call.sessionExpires + ";refresher=" + (call.weRefresh ? "uas" : "uac"));
    if (call.callerSupportsTimer) {
      ok.headers().add(SipConstants.REQUIRE, "timer");
    }
  }

  private void armSessionTimer(Call call) {
    if (call.sessionTimer != null) {
      call.sessionTimer.cancel();
      call.sessionTimer = null;
    }
    if (call.sessionExpires <= 0 || call.state != Call.State.ACTIVE) {
      return;
    }
    long se = call.sessionExpires * 1000L;
    if (call.weRefresh) {
      call.sessionTimer = timers.schedule(se / 2, () -> sendRefresh(call));
    } else {
      long expiry = se - Math.min(32_000L, se / 3);
      call.sessionTimer =
          timers.schedule(
              expiry,
              () -> {
                LOG.infof("Call %s: session not refreshed; hanging up", call.dialog.callId());
                hangUpNow(call, CallEndReason.SESSION_EXPIRED);
              });
    }
  }

  private void sendRefresh(Call call) {
    if (call.state != Call.State.ACTIVE) {
      return;
    }
    SipRequest update = inDialogRequest(call, SipConstants.UPDATE);
    update.headers().add(SipConstants.SESSION_EXPIRES, call.sessionExpires + ";refresher=uas");
    update.headers().add(SipConstants.SUPPORTED, "timer");
    transactions.sendRequest(
        update,
        call.dialog.peer(),
        r -> {
          if (r.status() == 481 || r.status() == 408) {
            hangUpNow(call, CallEndReason.SESSION_EXPIRED);
          } else {
            armSessionTimer(call);
          }
        },
        () -> hangUpNow(call, CallEndReason.SESSION_EXPIRED));
  }
}
