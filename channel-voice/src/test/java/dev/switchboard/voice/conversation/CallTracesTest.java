package dev.switchboard.voice.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.voice.pipeline.SpeechRecognizer;
import dev.switchboard.voice.testsupport.RecordingSpanExporter;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The spans of a call's conversation with a real OpenTelemetry SDK: turns are new traces linked to
 * the INVITE, replies play in the trace that delivered them and end when their first packet left,
 * and nothing stays open once the call is over.
 */
class CallTracesTest {
  private final RecordingSpanExporter exporter = new RecordingSpanExporter();
  private final OpenTelemetry otel = RecordingSpanExporter.sdk(exporter);
  private final Tracer tracer = otel.getTracer("test");
  private final Span invite = tracer.spanBuilder("SIP INVITE").startSpan();
  private final CallTraces traces = new CallTraces(tracer, "subject-1", invite.getSpanContext());

  @Test
  void aTurnIsANewTraceLinkedToTheInviteAndParentsItsUserMessage() {
    traces.turnStarted();
    SpanContext turn = Span.fromContext(traces.turnContext()).getSpanContext();
    assertTrue(turn.isValid());
    assertFalse(turn.getTraceId().equals(invite.getSpanContext().getTraceId()));
    traces.turnEvent("final transcript");
    traces.endTurn("published", false);

    SpanData span = single(CallTraces.TURN);
    assertFalse(span.getParentSpanContext().isValid());
    assertEquals(invite.getSpanContext(), span.getLinks().get(0).getSpanContext());
    assertEquals("published", span.getAttributes().get(CallTraces.OUTCOME));
    assertEquals("subject-1", span.getAttributes().get(CallTraces.SUBJECT));
    assertFalse(Span.fromContext(traces.turnContext()).getSpanContext().isValid(), "closed");
  }

  @Test
  void theCallersSpeechStartsTheTurnsTraceWithTheRecognitionStreamInside() {
    List<SpanContext> currentAtOpen = new java.util.ArrayList<>();
    List<Boolean> turnOpenWhenStreamFinished = new java.util.ArrayList<>();
    SpeechRecognizer recognizer =
        traces.traced(
            new SpeechRecognizer() {
              @Override
              public int sampleRate() {
                return 8000;
              }

              @Override
              public RecognitionStream open() {
                currentAtOpen.add(Span.current().getSpanContext());
                return new RecognitionStream() {
                  @Override
                  public void send(short[] samples) {}

                  @Override
                  public void finish() {
                    // A fast recognizer answers from inside finish(): its turn must be open.
                    turnOpenWhenStreamFinished.add(
                        Span.fromContext(traces.turnContext()).getSpanContext().isValid());
                  }

                  @Override
                  public void cancel() {}
                };
              }
            },
            traces::turnStarted);
    recognizer.open().cancel(); // noise: no turn follows
    SpeechRecognizer.RecognitionStream speech = recognizer.open();
    speech.finish();
    traces.endTurn("published", false);

    assertEquals(List.of(true), turnOpenWhenStreamFinished);

    List<SpanData> utterances = exporter.named(CallTraces.UTTERANCE_SPAN);
    assertEquals(
        List.of("discarded", "finished"),
        utterances.stream().map(s -> s.getAttributes().get(CallTraces.OUTCOME)).toList());
    SpanData spoken = utterances.get(1);
    assertEquals(spoken.getSpanContext(), currentAtOpen.get(1), "the stream opens inside it");
    assertFalse(spoken.getParentSpanContext().isValid());
    assertEquals(invite.getSpanContext(), spoken.getLinks().get(0).getSpanContext());
    SpanData turn = single(CallTraces.TURN);
    assertEquals(spoken.getSpanId(), turn.getParentSpanId(), "one trace: speech, then the turn");
  }

  @Test
  void aNewTurnSupersedesOneThatNeverPublished() {
    traces.turnStarted();
    traces.turnStarted();
    traces.endTurn("no_words", false);
    List<SpanData> turns = exporter.named(CallTraces.TURN);
    assertEquals(
        List.of("superseded", "no_words"),
        turns.stream().map(s -> s.getAttributes().get(CallTraces.OUTCOME)).toList());
  }

  @Test
  void aReplyPlaysInTheDeliveringTraceAndEndsWhenItsFirstPacketLeft() {
    Span consumer = tracer.spanBuilder("conversation.outbound.voice process").startSpan();
    Span play;
    try (Scope scope = consumer.makeCurrent()) {
      play = traces.startPlay("reply-0", "reply_chunk", 16, false, true);
    }
    consumer.end();
    long sentNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(200);
    traces.firstPacket("reply-0", sentNanos);
    traces.firstPacket("reply-0", System.nanoTime()); // later packets change nothing

    SpanData span = single(CallTraces.PLAY);
    assertEquals(play.getSpanContext(), span.getSpanContext());
    assertEquals(consumer.getSpanContext().getSpanId(), span.getParentSpanId());
    assertEquals("played", span.getAttributes().get(CallTraces.OUTCOME));
    long endedAgoMillis =
        TimeUnit.NANOSECONDS.toMillis(
            TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()) - span.getEndEpochNanos());
    assertTrue(endedAgoMillis >= 150, "ended when the packet left, " + endedAgoMillis + " ms ago");
  }

  @Test
  void withNoTraceInProgressAPromptIsNotTraced() {
    Span play = traces.startPlay("prompt-0", "prompt", 10, true, true);
    assertFalse(play.getSpanContext().isValid());
    traces.firstPacket("prompt-0", System.nanoTime());
    assertTrue(exporter.spans().isEmpty());
  }

  @Test
  void bargeInEndsOnlyInterruptibleRepliesAndTheCallsEndClosesTheRest() {
    Span consumer = tracer.spanBuilder("consumer").startSpan();
    try (Scope scope = consumer.makeCurrent()) {
      traces.startPlay("greeting", "greeting", 20, false, false);
      traces.startPlay("reply-1", "reply_chunk", 20, false, true);
    }
    traces.turnStarted();
    traces.interrupted();
    assertEquals(List.of("interrupted"), outcomes(CallTraces.PLAY));
    traces.callEnded();
    assertEquals(List.of("interrupted", "call_ended"), outcomes(CallTraces.PLAY));
    assertEquals(List.of("call_ended"), outcomes(CallTraces.TURN));
  }

  @Test
  void aFailedSynthesisEndsItsSpanAsAnError() {
    Span consumer = tracer.spanBuilder("consumer").startSpan();
    try (Scope scope = consumer.makeCurrent()) {
      traces.startPlay("reply-2", "reply_chunk", 5, false, true);
    }
    traces.playFailed("reply-2", "tts failed");
    SpanData span = single(CallTraces.PLAY);
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertEquals("tts_failed", span.getAttributes().get(CallTraces.OUTCOME));
  }

  private List<String> outcomes(String name) {
    return exporter.named(name).stream()
        .map(s -> s.getAttributes().get(CallTraces.OUTCOME))
        .toList();
  }

  private SpanData single(String name) {
    List<SpanData> spans = exporter.named(name);
    assertEquals(1, spans.size(), () -> name + " spans: " + exporter.spans());
    return spans.get(0);
  }
}
