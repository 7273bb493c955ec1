package dev.switchboard.voice.call;

import dev.switchboard.voice.sip.SipRequest;
import dev.switchboard.voice.transaction.SipPeer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The server span of an incoming initial INVITE, the root of a call's first trace: it starts when
 * the INVITE arrives and ends when the call is established (ACK received and the core told through
 * {@code call_started}, which is published inside this span) or refused. It carries the SIP method,
 * the transport, the trunk and the final status; the Call-ID only as a truncated SHA-256 (a Call-ID
 * may embed a host or a number); never the caller's number or address.
 *
 * <p>Plain OpenTelemetry API, no Quarkus: with {@link #disabled()} every span is a no-op.
 */
public final class InviteTracing {
  /** The tracer name of every span this service makes itself. */
  public static final String INSTRUMENTATION = "dev.switchboard.voice";

  public static final String SPAN_NAME = "SIP INVITE";
  public static final AttributeKey<String> SIP_METHOD = AttributeKey.stringKey("sip.method");
  public static final AttributeKey<String> CALL_ID_HASH =
      AttributeKey.stringKey("sip.call_id.sha256");
  public static final AttributeKey<Long> STATUS_CODE =
      AttributeKey.longKey("sip.response.status_code");
  public static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("network.transport");
  public static final AttributeKey<String> TRUNK = AttributeKey.stringKey("sip.trunk");
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("voice.call.outcome");

  private final Tracer tracer;

  public InviteTracing(Tracer tracer) {
    this.tracer = tracer;
  }

  /** Spans that record nothing (tracing off, unit tests of other concerns). */
  public static InviteTracing disabled() {
    return new InviteTracing(OpenTelemetry.noop().getTracer(INSTRUMENTATION));
  }

  /** Starts the span of an INVITE that opens a new call; the caller must {@link #finish} it. */
  Span start(SipRequest invite, SipPeer peer) {
    return tracer
        .spanBuilder(SPAN_NAME)
        .setSpanKind(SpanKind.SERVER)
        // A new call is a new trace: SIP peers do not send a W3C trace context we could trust.
        .setNoParent()
        .setAttribute(SIP_METHOD, invite.method())
        .setAttribute(CALL_ID_HASH, hashCallId(invite.callId()))
        .setAttribute(TRANSPORT, peer.transport().name().toLowerCase(Locale.ROOT))
        .startSpan();
  }

  /** An INVITE refused before any transaction (access control): a span of its own, ended now. */
  void refused(SipRequest invite, SipPeer peer, int status) {
    finish(start(invite, peer), status, "refused", false);
  }

  /**
   * Ends the span with the INVITE's final status (0 when none was sent) and what became of the
   * call. A 5xx/6xx, no final answer at all, or a {@code failed} outcome (e.g. no ACK came) marks
   * the span as an error; a 4xx is the caller's problem, as in HTTP server spans.
   */
  static void finish(Span span, int status, String outcome, boolean failed) {
    if (status > 0) {
      span.setAttribute(STATUS_CODE, (long) status);
    }
    span.setAttribute(OUTCOME, outcome);
    if (failed || status >= 500 || status == 0) {
      span.setStatus(StatusCode.ERROR, status >= 500 ? "SIP " + status : outcome);
    }
    span.end();
  }

  /** The first 16 hex digits of the SHA-256 of the Call-ID: correlates without revealing it. */
  public static String hashCallId(String callId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((callId == null ? "" : callId).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
