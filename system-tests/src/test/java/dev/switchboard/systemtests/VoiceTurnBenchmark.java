package dev.switchboard.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.launcher.Platform;
import dev.switchboard.systemtests.CallerMedia.Sent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Measures the platform's own share of a voice turn through the packaged services: from the end of
 * endpointing to the first RTP packet of the reply, minus the text-to-speech time, with
 * zero-latency stand-ins (scripted chat, a WireMock speech-to-text that answers at once, local
 * TTS). SIPp places 1, then 10 concurrent calls; each caller asks the s1 fixture {@value #TURNS}
 * times and listens to the whole answer each time. The stage times are the voice channel's own
 * per-turn log line ({@code voice turn ... transcript_ms first_chunk_ms first_audio_ms
 * first_packet_ms total_ms}); overhead = total_ms - first_audio_ms (first_audio_ms is reply chunk
 * in to first TTS audio out, the TTS time as the channel sees it, including its gRPC hop).
 *
 * <p>Not part of the test run; run it with {@code ./mvnw -pl system-tests verify
 * -Dit.test=VoiceTurnBenchmark} after a build.
 */
class VoiceTurnBenchmark {
  private static final int TURNS = 8;
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Pattern TURN_LINE =
      Pattern.compile(
          "voice turn .* turn=(\\S+) transcript_ms=(\\d+) first_chunk_ms=(\\d+)"
              + " first_audio_ms=(\\d+) first_packet_ms=(\\d+) total_ms=(\\d+)");

  /** One turn's stages as the channel logged them, in ms. */
  record Turn(String id, long transcript, long firstChunk, long tts, long firstPacket, long total) {
    long overhead() {
      return total - tts;
    }
  }

  @Test
  void measureTurns() throws Exception {
    RequiredTool.require("sipp", "sip-tester");
    try (SpeechToTextStandIn speechToText = SpeechToTextStandIn.start(List.of(fixtureText("s1")));
        Platform platform =
            TestPlatform.start(
                "platform-voice-benchmark",
                null,
                Map.of(),
                Map.of(
                    "model-adapter",
                    Map.of(
                        "switchboard.model.chat.backend", "scripted",
                        "switchboard.model.scripted.script",
                            Path.of(getClass().getResource("/voice/chat-script.yaml").toURI())
                                .toString(),
                        "switchboard.model.stt.backend", "openai",
                        "switchboard.model.openai.base-url", speechToText.baseUrl(),
                        "switchboard.model.tts.backend", "local",
                        "switchboard.model.moderation.backend", "local"),
                    "channel-voice",
                    Map.of(
                        "switchboard.voice.conversation.silence-timeout", "300s",
                        "switchboard.voice.calls.drain-grace", "2s")))) {
      Path voiceLog = platform.options().dataDir().resolve("logs/voice.log");
      runCalls(platform, 1, 0); // warm-up: JIT, connection pools, prompt caches
      int before = turns(voiceLog).size();
      runCalls(platform, 1, 1);
      List<Turn> single = turns(voiceLog).subList(before, turns(voiceLog).size());
      before = turns(voiceLog).size();
      runCalls(platform, 10, 100);
      List<Turn> ten = turns(voiceLog).subList(before, turns(voiceLog).size());
      assertEquals(TURNS, single.size(), "every turn of the single call was answered");
      assertEquals(10 * TURNS, ten.size(), "every turn of the ten calls was answered");
      StringBuilder out = new StringBuilder();
      report(out, "calls1", single);
      report(out, "calls10", ten);
      // One print, so the services' streamed log cannot split a metric line.
      System.out.print(out);
    }
  }

  private static void report(StringBuilder out, String name, List<Turn> turns) {
    out.append(metric(name + "_overhead_p50", percentile(turns, Turn::overhead, 50)));
    out.append(metric(name + "_overhead_p95", percentile(turns, Turn::overhead, 95)));
    out.append(metric(name + "_overhead_max", percentile(turns, Turn::overhead, 100)));
    out.append(metric(name + "_transcript_p50", percentile(turns, Turn::transcript, 50)));
    out.append(metric(name + "_first_chunk_p50", percentile(turns, Turn::firstChunk, 50)));
    out.append(metric(name + "_tts_first_audio_p50", percentile(turns, Turn::tts, 50)));
    out.append(metric(name + "_first_packet_p50", percentile(turns, Turn::firstPacket, 50)));
    out.append(metric(name + "_total_p50", percentile(turns, Turn::total, 50)));
    out.append(metric(name + "_total_p95", percentile(turns, Turn::total, 95)));
  }

  private static String metric(String name, long millis) {
    return String.format("metric: voice.turn_%s = %d ms%n", name, millis);
  }

  private static long percentile(
      List<Turn> turns, java.util.function.ToLongFunction<Turn> stage, int p) {
    List<Long> values = new ArrayList<>();
    turns.forEach(t -> values.add(stage.applyAsLong(t)));
    Collections.sort(values);
    int index = (int) Math.ceil(p / 100.0 * values.size()) - 1;
    return values.get(Math.max(0, Math.min(values.size() - 1, index)));
  }

  /** Places {@code calls} concurrent calls, each asking {@link #TURNS} questions. */
  private static void runCalls(Platform platform, int calls, int firstCallerNumber)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(calls);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        // A number per caller: the core's per-person policy (rate, minutes) applies per number.
        String number = String.format("+1212555%04d", firstCallerNumber + i);
        running.add(pool.submit(() -> call(platform, number)));
      }
      for (Future<?> call : running) {
        call.get(10, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Void call(Platform platform, String number) throws Exception {
    try (CallerMedia caller = new CallerMedia();
        SippCaller sipp =
            SippCaller.call("caller.xml", platform.ports().sip(), caller.port(), 300_000, number)) {
      long placed = System.nanoTime();
      awaitSpeechThenQuiet(caller, placed);
      for (int turn = 0; turn < TURNS; turn++) {
        List<Sent> question = caller.speak("/voice/audio/s1_8k.wav", 1000);
        long lastSpeech =
            question.stream().filter(Sent::speech).reduce((a, b) -> b).orElseThrow().sentNanos();
        awaitSpeechThenQuiet(caller, lastSpeech);
      }
    }
    return null;
  }

  private static void awaitSpeechThenQuiet(CallerMedia caller, long sinceNanos)
      throws InterruptedException {
    Eventually.await(
        "an answer to be heard and then end",
        WAIT,
        () -> caller.lastSpeechAfter(sinceNanos),
        (OptionalLong last) ->
            last.isPresent()
                && System.nanoTime() - last.getAsLong() > TimeUnit.MILLISECONDS.toNanos(1500));
  }

  private static List<Turn> turns(Path voiceLog) throws java.io.IOException {
    List<Turn> turns = new ArrayList<>();
    for (String line : Files.readAllLines(voiceLog)) {
      Matcher m = TURN_LINE.matcher(line);
      if (m.find()) {
        turns.add(
            new Turn(
                m.group(1),
                Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)),
                Long.parseLong(m.group(5)),
                Long.parseLong(m.group(6))));
      }
    }
    return turns;
  }

  private static String fixtureText(String name) throws java.io.IOException {
    try (var in = VoiceTurnBenchmark.class.getResourceAsStream("/voice/audio/" + name + ".txt")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    }
  }
}
