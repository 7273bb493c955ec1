package dev.switchboard.voice.conversation;

import dev.switchboard.voice.pipeline.SpeechRecognizer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The spans of one call's conversation, each the start or the continuation of a turn's trace:
 *
 * <ul>
 *   <li>{@value #UTTERANCE_SPAN}: the root of a caller turn's trace, from the start of the caller's
 *       speech to its end; the speech-to-text stream to model-adapter (gRPC) runs inside it. Linked
 *       to the call's INVITE span. Speech discarded as noise ends it with no turn.
 *   <li>{@value #TURN}: one per caller turn, from the end of the caller's speech to the {@code
 *       user_message} being handed to Kafka (the final transcript is an event on it); a child of
 *       the utterance (a new trace, linked to the INVITE, when there was none). The core's work on
 *       the message continues its trace.
 *   <li>{@value #PLAY}: one per reply the core sent (greeting, refusal, reply chunk), a child of
 *       the Kafka consumer span that received it; the TTS request to model-adapter runs inside it,
 *       and it ends when the utterance's first RTP packet leaves (or it fails, is interrupted, or
 *       the call ends first).
 * </ul>
 *
 * Spans carry the subject id, never the caller's number or words. Thread-safe: turns are marked on
 * the pipeline thread, transcripts arrive on gRPC threads and first packets on the pacer thread.
 */
final class CallTraces {
  static final String UTTERANCE_SPAN = "voice utterance";
  static final String TURN = "voice turn";
  static final String PLAY = "voice reply play";
  static final AttributeKey<String> SUBJECT = AttributeKey.stringKey("enduser.pseudo.id");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("switchboard.outcome");
  static final AttributeKey<String> UTTERANCE = AttributeKey.stringKey("voice.utterance.kind");
  static final AttributeKey<Boolean> CACHED = AttributeKey.booleanKey("voice.tts.cached");
  static final AttributeKey<Long> CHARACTERS = AttributeKey.longKey("voice.tts.characters");

  private final Tracer tracer;
  private final String subjectId;
  private final SpanContext call;
  private final Map<String, Playing> playing = new ConcurrentHashMap<>();
  private Span turn;
  private Span utterance;

  private record Playing(Span span, boolean interruptible) {}

  /**
   * @param call the INVITE span of the call (links new traces to it; may be invalid)
   */
  CallTraces(Tracer tracer, String subjectId, SpanContext call) {
    this.tracer = tracer;
    this.subjectId = subjectId;
    this.call = call;
  }

  /** The call's INVITE span, for events that start a trace of their own. */
  SpanContext call() {
    return call;
  }

  // ---- caller turns ----

  /**
   * The recognizer, with each utterance in a {@value #UTTERANCE_SPAN} span that is current while
   * its speech-to-text stream opens (so the gRPC call joins the turn's trace).
   */
  SpeechRecognizer traced(SpeechRecognizer recognizer, Runnable turnBegins) {
    return new SpeechRecognizer() {
      @Override
      public int sampleRate() {
        return recognizer.sampleRate();
      }

      @Override
      public RecognitionStream open() {
        Span span = utteranceStarted();
        RecognitionStream stream;
        try (Scope scope = span.makeCurrent()) {
          stream = recognizer.open();
        }
        return new RecognitionStream() {
          @Override
          public void send(short[] samples) {
            stream.send(samples);
          }

          @Override
          public void finish() {
            utteranceEnded(span, "finished");
            // Before the stream is closed: its final transcript may come back on another thread
            // at once, and must find its turn already open.
            turnBegins.run();
            stream.finish();
          }

          @Override
          public void cancel() {
            stream.cancel();
            utteranceEnded(span, "discarded");
          }
        };
      }
    };
  }

  private synchronized Span utteranceStarted() {
    var builder =
        tracer
            .spanBuilder(UTTERANCE_SPAN)
            .setNoParent()
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(SUBJECT, subjectId);
    if (call.isValid()) {
      builder.addLink(call);
    }
    utterance = builder.startSpan();
    return utterance;
  }

  private synchronized void utteranceEnded(Span span, String outcome) {
    span.setAttribute(OUTCOME, outcome);
    span.end();
    if (!outcome.equals("finished") && utterance == span) {
      utterance = null; // discarded speech starts no turn
    }
  }

  /**
   * The caller stopped speaking: the turn begins in the utterance's trace (a turn still open is
   * superseded).
   */
  synchronized void turnStarted() {
    endTurn("superseded", false);
    var builder =
        tracer.spanBuilder(TURN).setSpanKind(SpanKind.INTERNAL).setAttribute(SUBJECT, subjectId);
    if (utterance != null) {
      builder.setParent(Context.root().with(utterance));
      utterance = null;
    } else {
      builder.setNoParent();
      if (call.isValid()) {
        builder.addLink(call);
      }
    }
    turn = builder.startSpan();
  }

  /** The open turn's context, the parent of its {@code user_message}; root when none is open. */
  synchronized Context turnContext() {
    return turn == null ? Context.root() : Context.root().with(turn);
  }

  synchronized void turnEvent(String name) {
    if (turn != null) {
      turn.addEvent(name);
    }
  }

  /** Ends the open turn, if any, with what became of it. */
  synchronized void endTurn(String outcome, boolean failed) {
    if (turn == null) {
      return;
    }
    turn.setAttribute(OUTCOME, outcome);
    if (failed) {
      turn.setStatus(StatusCode.ERROR, outcome);
    }
    turn.end();
    turn = null;
  }

  // ---- replies ----

  /**
   * Starts the span of playing one utterance of the core's, as a child of the current span (the
   * Kafka consumer's). Returns an invalid span, and records nothing, when no trace is in progress
   * (prompts the call speaks on its own, e.g. on silence).
   */
  Span startPlay(
      String utteranceId, String kind, int characters, boolean cached, boolean interruptible) {
    if (!Span.current().getSpanContext().isValid()) {
      return Span.getInvalid();
    }
    Span span =
        tracer
            .spanBuilder(PLAY)
            .setParent(Context.current())
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(SUBJECT, subjectId)
            .setAttribute(UTTERANCE, kind)
            .setAttribute(CHARACTERS, (long) characters)
            .setAttribute(CACHED, cached)
            .startSpan();
    playing.put(utteranceId, new Playing(span, interruptible));
    return span;
  }

  /** The utterance's first RTP packet left at {@code nanos} (System.nanoTime): its span ends. */
  void firstPacket(String utteranceId, long nanos) {
    Playing p = playing.remove(utteranceId);
    if (p != null) {
      p.span().setAttribute(OUTCOME, "played");
      long ageNanos = Math.max(0, System.nanoTime() - nanos);
      Instant now = Instant.now();
      long epochNanos = TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano() - ageNanos;
      p.span().end(epochNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Synthesis of the utterance failed; nothing of it will play. */
  void playFailed(String utteranceId, String reason) {
    Playing p = playing.remove(utteranceId);
    if (p != null) {
      p.span().setAttribute(OUTCOME, "tts_failed");
      p.span().setStatus(StatusCode.ERROR, reason);
      p.span().end();
    }
  }

  /** The caller barged in: interruptible replies that have not started playing never will. */
  void interrupted() {
    endPlaying(true, "interrupted");
  }

  /** The call ended: every span still open ends. */
  void callEnded() {
    endTurn("call_ended", false);
    endPlaying(false, "call_ended");
  }

  private void endPlaying(boolean onlyInterruptible, String outcome) {
    for (Map.Entry<String, Playing> entry : playing.entrySet()) {
      Playing p = entry.getValue();
      // remove(key, value) wins once against a first packet ending the same span.
      if ((!onlyInterruptible || p.interruptible()) && playing.remove(entry.getKey(), p)) {
        p.span().setAttribute(OUTCOME, outcome);
        p.span().end();
      }
    }
  }
}
