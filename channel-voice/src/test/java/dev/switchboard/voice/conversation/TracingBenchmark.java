package dev.switchboard.voice.conversation;

import dev.switchboard.voice.pipeline.SpeechRecognizer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Plain-Java microbenchmark (no JMH on the classpath) of what tracing adds to one voice turn on the
 * channel-voice side: the utterance, turn, producer (with W3C injection into Kafka headers),
 * consumer (extraction) and reply-play spans, on the real OpenTelemetry SDK with a batch span
 * processor, against the same work with tracing off (the no-op API Quarkus hands out when {@code
 * quarkus.otel.sdk.disabled=true}). The exporter drops the batches: OTLP serialization and HTTP run
 * on the exporter's own thread and are not in this figure. Wall time and CPU time of the measuring
 * thread per turn.
 *
 * <p>Run: {@code ./mvnw -B -o -q -pl channel-voice test-compile dependency:build-classpath
 * -Dmdep.outputFile=/tmp/cp.txt && java -cp
 * channel-voice/target/classes:channel-voice/target/test-classes:$(cat /tmp/cp.txt)
 * dev.switchboard.voice.conversation.TracingBenchmark [turns]}
 */
public final class TracingBenchmark {
  private static final TextMapGetter<Headers> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
          List<String> keys = new ArrayList<>();
          headers.forEach(h -> keys.add(h.key()));
          return keys;
        }

        @Override
        public String get(Headers headers, String key) {
          Header h = headers.lastHeader(key);
          return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
      };

  private static final SpeechRecognizer RECOGNIZER =
      new SpeechRecognizer() {
        @Override
        public int sampleRate() {
          return 8000;
        }

        @Override
        public RecognitionStream open() {
          return new RecognitionStream() {
            @Override
            public void send(short[] samples) {}

            @Override
            public void finish() {}

            @Override
            public void cancel() {}
          };
        }
      };

  private TracingBenchmark() {}

  public static void main(String[] args) {
    int turns = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    AtomicLong exported = new AtomicLong();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(
                BatchSpanProcessor.builder(new Dropping(exported))
                    // Drained often enough that no span is dropped (checked below).
                    .setScheduleDelay(java.time.Duration.ofMillis(5))
                    .setMaxQueueSize(1 << 18)
                    .build())
            .build();
    OpenTelemetry on =
        OpenTelemetrySdk.builder()
            .setTracerProvider(provider)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    OpenTelemetry off = OpenTelemetry.noop();

    for (int round = 0; round < 2; round++) { // the first round warms the JIT up
      boolean report = round == 1;
      double[] offCost = run(off, turns);
      double[] onCost = run(on, turns);
      if (report) {
        provider.forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);
        // Two runs with tracing on (warm-up and this one), 5 spans per turn and the INVITE each.
        long expected = 2L * (5L * turns + 1);
        System.out.printf(
            Locale.ROOT,
            "turns %d; spans exported %d of %d (fewer would mean the queue dropped some)%n",
            turns,
            exported.get(),
            expected);
        System.out.printf(
            Locale.ROOT,
            "metric: voice.tracing.turn_overhead_wall = %.2f us%n",
            (onCost[0] - offCost[0]) / 1000);
        System.out.printf(
            Locale.ROOT,
            "metric: voice.tracing.turn_overhead_cpu = %.2f us%n",
            (onCost[1] - offCost[1]) / 1000);
        System.out.printf(
            Locale.ROOT,
            "tracing off: %.2f us wall per turn; on: %.2f us wall, %.2f us cpu%n",
            offCost[0] / 1000,
            onCost[0] / 1000,
            onCost[1] / 1000);
      }
    }
    provider.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Nanoseconds of wall and CPU time per turn. */
  private static double[] run(OpenTelemetry otel, int turns) {
    Tracer tracer = otel.getTracer("bench");
    TextMapPropagator propagator = otel.getPropagators().getTextMapPropagator();
    Span invite = tracer.spanBuilder("SIP INVITE").setSpanKind(SpanKind.SERVER).startSpan();
    CallTraces traces = new CallTraces(tracer, "subject", invite.getSpanContext());
    SpeechRecognizer recognizer = traces.traced(RECOGNIZER, traces::turnStarted);
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    long cpuStart = cpu.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    for (int i = 0; i < turns; i++) {
      // The caller speaks; the speech ends and becomes a user_message on Kafka.
      recognizer.open().finish(); // the turn begins as the stream finishes
      Span produce =
          tracer
              .spanBuilder("conversation.inbound publish")
              .setSpanKind(SpanKind.PRODUCER)
              .setParent(traces.turnContext())
              .startSpan();
      Headers headers = new RecordHeaders();
      propagator.inject(
          traces.turnContext().with(produce),
          headers,
          (h, k, v) -> h.add(k, v.getBytes(StandardCharsets.UTF_8)));
      produce.end();
      traces.endTurn("published", false);
      // The reply chunk comes back with the trace in its headers and is played.
      Context parent = propagator.extract(Context.root(), headers, GETTER);
      Span consume =
          tracer
              .spanBuilder("conversation.outbound.voice process")
              .setSpanKind(SpanKind.CONSUMER)
              .setParent(parent)
              .startSpan();
      try (Scope scope = consume.makeCurrent()) {
        Span play = traces.startPlay("u" + i, "reply_chunk", 40, false, true);
        try (Scope inner = play.makeCurrent()) {
          // the TTS request would be made here
        }
      } finally {
        consume.end();
      }
      traces.firstPacket("u" + i, System.nanoTime());
    }
    long wall = System.nanoTime() - start;
    long cpuTime = cpu.getCurrentThreadCpuTime() - cpuStart;
    invite.end();
    return new double[] {(double) wall / turns, (double) cpuTime / turns};
  }

  /** Drops every batch (counting spans), as if the collector were infinitely fast. */
  private record Dropping(AtomicLong exported) implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      exported.addAndGet(spans.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
