package dev.switchboard.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.launcher.Platform;
import dev.switchboard.systemtests.CallerMediaHub.Caller;
import dev.switchboard.systemtests.CallerMediaHub.Frame;
import dev.switchboard.systemtests.OtlpTraceReceiver.ReceivedSpan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Measures the platform's own share of a voice turn through the packaged services, with many calls
 * at once: from the end of endpointing to the first RTP packet of the reply, minus the
 * text-to-speech time, with zero-latency stand-ins: scripted chat, and speech-to-text and
 * text-to-speech from a provider at the OpenAI-compatible HTTP boundary that answers at once
 * ({@link InstantSpeechProvider}). {@code -Dvoice.bench.tts=local} synthesizes with the local
 * engine (libespeak-ng) instead, whose CPU then competes with the platform's; {@code
 * -Dvoice.bench.stt=wiremock} takes speech-to-text from the tests' WireMock stand-in (and needs the
 * local engine). For each level of concurrency, ONE SIPp process places that many calls (spread
 * over about {@value #RAMP_SECONDS} s, so turns spread over a turn's cycle) with their media at a
 * shared in-test RTP endpoint ({@link CallerMediaHub}); each caller asks the s1 fixture {@code
 * turns} times, listening to the whole answer each time and pausing 1 to 2.5 s before the next
 * question, then stays silent until the channel (short silence timeout) says goodbye and hangs up.
 *
 * <p>Per level it prints {@code metric:} lines:
 *
 * <ul>
 *   <li>overhead p50/p95/max: the channel's own per-turn log line ({@code voice turn ...
 *       transcript_ms first_chunk_ms first_audio_ms first_packet_ms total_ms}); overhead = total_ms
 *       - first_audio_ms (first_audio_ms is reply chunk in to first TTS audio out, the TTS time as
 *       the channel sees it, including its gRPC hop); and the stage medians;
 *   <li>RTP send jitter as the callers see it: |inter-arrival - 20 ms| of consecutive packets, p50,
 *       p99 and p99.9, over every packet of every call of the level;
 *   <li>CPU: channel-voice's process CPU time (from /proc) during the level divided by the level's
 *       call-seconds (first to last RTP packet of each call), as % of one core per call; the same
 *       for the five services and PostgreSQL together, and for this test JVM (which runs the Kafka
 *       broker, the speech-to-text stand-in and the callers' RTP endpoints).
 * </ul>
 *
 * <p>Not part of the test run. Run it after a build with {@code ./mvnw -pl system-tests verify
 * -Dit.test=VoiceTurnBenchmark -Dvoice.bench.levels=1,50,100 -Dvoice.bench.turns=3} (warm-up:
 * {@code -Dvoice.bench.warmup-calls=100 -Dvoice.bench.warmup-turns=6
 * -Dvoice.bench.warmup-rounds=2}); {@code -Dvoice.bench.trace=true} also switches tracing on and
 * prints where the time between the final transcript and the first reply chunk goes (span start
 * offsets, p50 and p95 over the measured turns); {@code -Dvoice.bench.pacer-realtime-priority=10}
 * runs channel-voice's pacer thread SCHED_FIFO (needs root or CAP_SYS_NICE).
 */
class VoiceTurnBenchmark {
  private static final Pattern TURN_LINE =
      Pattern.compile(
          "voice turn .* turn=(\\S+) transcript_ms=(\\d+) first_chunk_ms=(\\d+)"
              + " first_audio_ms=(\\d+) first_packet_ms=(\\d+) total_ms=(\\d+)");
  private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);
  private static final long PHASE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);

  /** Calls are placed over about this long, so their turns spread over a turn's cycle. */
  private static final int RAMP_SECONDS = 10;

  private final int turns = Integer.getInteger("voice.bench.turns", 3);

  /**
   * Unmeasured levels of 100 calls of 6 turns first (about two minutes each): the services compile
   * for minutes under this load. After 50 calls of 2 turns, three 100-call levels in a row gave p95
   * 74, 40 and 31 ms; after 100 calls of 3 turns the first measured level was still ~10 ms slower
   * on average, throughout the level, than the one after it.
   */
  private final int warmupCalls = Integer.getInteger("voice.bench.warmup-calls", 100);

  private final int warmupTurns = Integer.getInteger("voice.bench.warmup-turns", 6);

  /**
   * How many times the warm-up level runs (new calls each time, so call set-up and tear-down warm
   * up too). After one round, the 100-call level measured right after it had p95 28-45 ms (median
   * 34) in seven runs, the 100-call levels after that one 26-36 ms (median 29); the services' CPU
   * per call fell from level to level (channel-voice 0.277, 0.235, 0.199 % of a core) while the JIT
   * compilers were still busy (~2.5 s of C2 threads' CPU in 30 s of a measured level).
   */
  private final int warmupRounds = Integer.getInteger("voice.bench.warmup-rounds", 2);

  private final boolean trace = Boolean.getBoolean("voice.bench.trace");
  private final int pacerRealtimePriority =
      Integer.getInteger("voice.bench.pacer-realtime-priority", 0);
  private final List<Integer> levels =
      java.util.Arrays.stream(System.getProperty("voice.bench.levels", "1,50,100").split(","))
          .map(String::trim)
          .map(Integer::parseInt)
          .toList();

  /** One turn's stages as the channel logged them, in ms. */
  record Turn(String id, long transcript, long firstChunk, long tts, long firstPacket, long total) {
    long overhead() {
      return total - tts;
    }
  }

  /** What one level measured. */
  record Level(
      int calls,
      List<Turn> turns,
      int expectedTurns,
      CallerMediaHub.Histogram jitter,
      double voiceCpuSeconds,
      double platformCpuSeconds,
      double testJvmCpuSeconds,
      double callSeconds,
      Map<String, Double> cpuByProcess,
      Map<String, Double> pacerCounts,
      boolean sippPassed) {}

  /** The instant stand-in unless {@code -Dvoice.bench.stt=wiremock} asks for the tests' one. */
  private final boolean wireMockSpeechToText =
      "wiremock".equals(System.getProperty("voice.bench.stt"));

  /** The instant provider's speech unless {@code -Dvoice.bench.tts=local}. */
  private final boolean localTextToSpeech = "local".equals(System.getProperty("voice.bench.tts"));

  private String speechProviderUrl;

  private AutoCloseable startSpeechProvider() throws Exception {
    String text = fixtureText("s1");
    if (wireMockSpeechToText) {
      SpeechToTextStandIn wireMock = SpeechToTextStandIn.start(List.of(text));
      speechProviderUrl = wireMock.baseUrl();
      return wireMock;
    }
    InstantSpeechProvider instant = InstantSpeechProvider.start(text, "/voice/audio/s1_8k.wav");
    speechProviderUrl = instant.baseUrl();
    return instant;
  }

  @Test
  void measureTurns() throws Exception {
    RequiredTool.require("sipp", "sip-tester");
    if (wireMockSpeechToText && !localTextToSpeech) {
      throw new IllegalArgumentException(
          "-Dvoice.bench.stt=wiremock needs -Dvoice.bench.tts=local");
    }
    InstantSpeechProvider.noDelay(); // before the trace receiver, another JDK HTTP server
    OtlpTraceReceiver collector = trace ? OtlpTraceReceiver.start() : null;
    Map<String, String> everyService = new HashMap<>();
    if (collector != null) {
      everyService.put("quarkus.otel.sdk.disabled", "false");
      everyService.put("quarkus.otel.exporter.otlp.traces.endpoint", collector.endpoint());
      everyService.put("quarkus.otel.bsp.schedule.delay", "200ms");
    }
    List<Frame> question = CallerMediaHub.utterance("/voice/audio/s1_8k.wav", 1000);
    try (AutoCloseable speechToTextServer = startSpeechProvider();
        CallerMediaHub hub = new CallerMediaHub();
        Platform platform =
            TestPlatform.start(
                "platform-voice-benchmark",
                null,
                everyService,
                Map.of(
                    "model-adapter",
                    Map.of(
                        "switchboard.model.chat.backend",
                        "scripted",
                        "switchboard.model.scripted.script",
                        Path.of(getClass().getResource("/voice/chat-script.yaml").toURI())
                            .toString(),
                        "switchboard.model.stt.backend",
                        "openai",
                        "switchboard.model.openai.base-url",
                        speechProviderUrl,
                        "switchboard.model.tts.backend",
                        localTextToSpeech ? "local" : "openai",
                        "switchboard.model.moderation.backend",
                        "local"),
                    "channel-voice",
                    Map.of(
                        // After the last question: "are you still there?", goodbye and BYE.
                        "switchboard.voice.conversation.silence-timeout", "4s",
                        "switchboard.voice.security.invite-rate-per-second", "100",
                        "switchboard.voice.security.invite-burst", "200",
                        "switchboard.voice.calls.drain-grace", "2s",
                        "switchboard.voice.media.pacer-realtime-priority",
                            Integer.toString(pacerRealtimePriority))))) {
      Path voiceLog = platform.options().dataDir().resolve("logs/voice.log");
      int nextNumber = 0;
      for (int round = 0; round < warmupRounds && warmupCalls > 0; round++) {
        // JIT, connection pools, prompt caches: unmeasured.
        runLevel(platform, hub, voiceLog, question, warmupCalls, warmupTurns, nextNumber);
        nextNumber += warmupCalls;
      }
      StringBuilder out = new StringBuilder();
      List<Level> measured = new ArrayList<>();
      for (int calls : levels) {
        if (collector != null) {
          collector.clear();
        }
        Level level = runLevel(platform, hub, voiceLog, question, calls, turns, nextNumber);
        nextNumber += calls;
        measured.add(level);
        report(out, level);
        if (collector != null) {
          out.append(traceBreakdown(collector, calls));
        }
      }
      // One print, so the services' streamed log cannot split a metric line.
      System.out.print(out);
      for (Level level : measured) {
        assertTrue(level.sippPassed(), "SIPp completed every call of the " + level.calls());
        assertEquals(
            level.expectedTurns(),
            level.turns().size(),
            "every turn of the " + level.calls() + " calls was answered");
      }
    } finally {
      if (collector != null) {
        collector.close();
      }
    }
  }

  /** Places {@code calls} calls at once and drives each through its turns; measures the level. */
  private Level runLevel(
      Platform platform,
      CallerMediaHub hub,
      Path voiceLog,
      List<Frame> question,
      int calls,
      int turns,
      int firstNumber)
      throws Exception {
    int turnsBefore = turns(voiceLog).size();
    List<Script> scripts = new ArrayList<>();
    List<String[]> injection = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      Caller caller = hub.open();
      scripts.add(new Script(caller));
      // A number per caller: the core's per-person policy (rate, minutes) applies per number.
      injection.add(
          new String[] {
            String.format("+1212555%04d", firstNumber + i), Integer.toString(caller.port())
          });
    }
    Map<Long, String> processes = platformProcesses();
    Map<Long, Double> cpuBefore = cpuSeconds(processes.keySet());
    double testJvmBefore = ownCpuSeconds();
    Map<String, Double> pacerBefore = pacerCounts(platform);
    hub.jitter().reset();
    boolean sippPassed;
    try (SippCaller sipp =
        SippCaller.placeCalls(
            "caller-load.xml",
            platform.ports().sip(),
            injection,
            Math.max(1, Math.min(20, (calls + RAMP_SECONDS - 1) / RAMP_SECONDS)),
            TimeUnit.MINUTES.toMillis(4))) {
      long started = System.nanoTime();
      drive(scripts, question, turns, started);
      // Every caller is done talking: the channel's silence timeout ends each call with a BYE.
      sippPassed = sipp.awaitSuccess(2, TimeUnit.MINUTES);
      if (!sippPassed) {
        System.out.println("SIPp of the " + calls + " calls: " + sipp.describe());
      }
    }
    Map<Long, Double> cpuAfter = cpuSeconds(processes.keySet());
    double testJvm = ownCpuSeconds() - testJvmBefore;
    Map<String, Double> pacer = new TreeMap<>();
    pacerCounts(platform).forEach((k, v) -> pacer.put(k, v - pacerBefore.getOrDefault(k, 0.0)));
    double callSeconds = 0;
    for (Script s : scripts) {
      if (s.caller.firstPacketNanos() > 0) {
        callSeconds += (s.caller.lastPacketNanos() - s.caller.firstPacketNanos()) / 1e9;
      }
    }
    double voiceCpu = 0;
    double platformCpu = 0;
    Map<String, Double> byProcess = new TreeMap<>();
    for (Map.Entry<Long, String> p : processes.entrySet()) {
      double used =
          cpuAfter.getOrDefault(p.getKey(), 0.0) - cpuBefore.getOrDefault(p.getKey(), 0.0);
      platformCpu += used;
      byProcess.merge(processName(p.getValue()), used, Double::sum);
      if (p.getValue().contains("channel-voice")) {
        voiceCpu += used;
      }
    }
    List<Turn> all = turns(voiceLog);
    List<Turn> measured = List.copyOf(all.subList(turnsBefore, all.size()));
    CallerMediaHub.Histogram jitter = new CallerMediaHub.Histogram();
    jitter.addAll(hub.jitter());
    return new Level(
        calls,
        measured,
        calls * turns,
        jitter,
        voiceCpu,
        platformCpu,
        testJvm,
        callSeconds,
        byProcess,
        pacer,
        sippPassed);
  }

  /** One caller's progress: greeting, then question/answer turns. */
  private static final class Script {
    enum Phase {
      GREETING,
      ASKING,
      AWAITING,
      DONE
    }

    final Caller caller;
    Phase phase = Phase.GREETING;
    long since;
    long phaseStarted;
    long thinkNanos;
    int answered;

    Script(Caller caller) {
      this.caller = caller;
    }

    void enter(Phase next, long sinceNanos, long now) {
      phase = next;
      since = sinceNanos;
      phaseStarted = now;
    }
  }

  /** One thread drives every caller: a question goes out 1 s after the previous answer ended. */
  private static void drive(List<Script> scripts, List<Frame> question, int turns, long started)
      throws InterruptedException {
    java.util.Random random = new java.util.Random(7);
    for (Script s : scripts) {
      s.enter(Script.Phase.GREETING, started, started);
    }
    int done = 0;
    while (done < scripts.size()) {
      Thread.sleep(20);
      long now = System.nanoTime();
      done = 0;
      for (Script s : scripts) {
        switch (s.phase) {
          case GREETING, AWAITING -> {
            long heard = s.caller.lastSpeechHeardNanos();
            if (heard > s.since && now - heard > QUIET_NANOS + s.thinkNanos) {
              if (s.phase == Script.Phase.AWAITING) {
                s.answered++;
              }
              if (s.answered == turns) {
                s.enter(Script.Phase.DONE, now, now);
              } else if (s.caller.speak(question)) {
                s.enter(Script.Phase.ASKING, now, now);
                // People pause differently: keeps the calls from marching in step.
                s.thinkNanos = TimeUnit.MILLISECONDS.toNanos(random.nextInt(1500));
              }
            }
          }
          case ASKING -> {
            if (!s.caller.speaking()) {
              s.enter(Script.Phase.AWAITING, s.caller.lastSpeechSentNanos(), now);
            }
          }
          case DONE -> done++;
        }
        if (s.phase != Script.Phase.DONE && now - s.phaseStarted > PHASE_TIMEOUT_NANOS) {
          throw new AssertionError(
              "a caller waited over 120 s in phase "
                  + s.phase
                  + " after "
                  + s.answered
                  + " answers (port "
                  + s.caller.port()
                  + ")");
        }
      }
    }
  }

  private void report(StringBuilder out, Level level) {
    String name = "calls" + level.calls();
    List<Turn> turns = level.turns();
    out.append(
        String.format(
            "level %d calls: %d of %d turns answered, %.0f call-seconds, %d RTP packets timed%n",
            level.calls(),
            turns.size(),
            level.expectedTurns(),
            level.callSeconds(),
            level.jitter().count()));
    if (!turns.isEmpty()) {
      out.append(metric(name + "_overhead_p50", percentile(turns, Turn::overhead, 50), "ms"));
      out.append(metric(name + "_overhead_p95", percentile(turns, Turn::overhead, 95), "ms"));
      out.append(metric(name + "_overhead_max", percentile(turns, Turn::overhead, 100), "ms"));
      out.append(metric(name + "_transcript_p50", percentile(turns, Turn::transcript, 50), "ms"));
      out.append(metric(name + "_first_chunk_p50", percentile(turns, Turn::firstChunk, 50), "ms"));
      out.append(metric(name + "_first_chunk_p95", percentile(turns, Turn::firstChunk, 95), "ms"));
      out.append(metric(name + "_tts_first_audio_p50", percentile(turns, Turn::tts, 50), "ms"));
      out.append(
          metric(name + "_first_packet_p50", percentile(turns, Turn::firstPacket, 50), "ms"));
      out.append(metric(name + "_total_p50", percentile(turns, Turn::total, 50), "ms"));
      out.append(metric(name + "_total_p95", percentile(turns, Turn::total, 95), "ms"));
    }
    out.append(
        String.format(
            "metric: voice.rtp_send_jitter_p50_%s = %.2f ms%n",
            name, level.jitter().percentileMillis(0.50)));
    out.append(
        String.format(
            "metric: voice.rtp_send_jitter_p99_%s = %.2f ms%n",
            name, level.jitter().percentileMillis(0.99)));
    out.append(
        String.format(
            "metric: voice.rtp_send_jitter_p999_%s = %.2f ms%n",
            name, level.jitter().percentileMillis(0.999)));
    double sends = level.pacerCounts().getOrDefault("sends", 0.0);
    if (sends > 0) {
      out.append(
          String.format(
              "channel-voice pacer, %.0f sends: %s (overruns %.0f)%n",
              sends,
              level.pacerCounts().entrySet().stream()
                  .filter(e -> e.getKey().startsWith("late_"))
                  .map(e -> String.format("%.3f %% %s", 100 * e.getValue() / sends, e.getKey()))
                  .collect(Collectors.joining(", ")),
              level.pacerCounts().getOrDefault("overruns", 0.0)));
      out.append(
          String.format(
              "metric: voice.pacer_sends_late_5ms_%s = %.3f %% of sends%n",
              name, 100 * level.pacerCounts().getOrDefault("late_5ms", 0.0) / sends));
    }
    if (level.callSeconds() > 0) {
      out.append(
          String.format(
              "CPU per call (%% of one core): %s, test JVM %.3f%n",
              level.cpuByProcess().entrySet().stream()
                  .map(
                      e ->
                          String.format(
                              "%s %.3f", e.getKey(), 100 * e.getValue() / level.callSeconds()))
                  .collect(Collectors.joining(", ")),
              100 * level.testJvmCpuSeconds() / level.callSeconds()));
      out.append(
          String.format(
              "metric: voice.cpu_per_call_channel_voice_%s = %.3f %% of one core%n",
              name, 100 * level.voiceCpuSeconds() / level.callSeconds()));
      out.append(
          String.format(
              "metric: voice.cpu_per_call_services_and_database_%s = %.3f %% of one core%n",
              name, 100 * level.platformCpuSeconds() / level.callSeconds()));
      out.append(
          String.format(
              "metric: voice.cpu_per_call_test_jvm_%s = %.3f %% of one core%n",
              name, 100 * level.testJvmCpuSeconds() / level.callSeconds()));
    }
  }

  private static String metric(String name, long value, String unit) {
    return String.format("metric: voice.turn_%s = %d %s%n", name, value, unit);
  }

  private static long percentile(List<Turn> turns, ToLongFunction<Turn> stage, int p) {
    List<Long> values = new ArrayList<>();
    turns.forEach(t -> values.add(stage.applyAsLong(t)));
    return percentileOf(values, p);
  }

  private static long percentileOf(List<Long> values, int p) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /**
   * For every trace that reached channel-voice's consumer of {@code conversation.outbound.voice} (a
   * turn's reply or a directive), the start of each span relative to the first span of the trace,
   * median over the traces, in trace order: where the round trip's time goes.
   */
  private static String traceBreakdown(OtlpTraceReceiver collector, int calls)
      throws InterruptedException {
    Thread.sleep(1500); // the services export every 200 ms
    Map<String, List<ReceivedSpan>> byTrace =
        collector.spans().stream().collect(Collectors.groupingBy(ReceivedSpan::traceId));
    Map<String, List<Long>> startOffsets = new LinkedHashMap<>();
    Map<String, List<Long>> durations = new HashMap<>();
    int traces = 0;
    for (List<ReceivedSpan> spans : byTrace.values()) {
      Optional<ReceivedSpan> transcript =
          spans.stream()
              .filter(s -> s.service().equals("channel-voice"))
              .filter(s -> s.name().equals("conversation.inbound publish"))
              .findFirst();
      // A turn (the core called the chat model) whose reply came back to the channel.
      boolean answered =
          spans.stream()
                  .anyMatch(
                      s ->
                          s.service().equals("channel-voice")
                              && s.kind() == ReceivedSpan.CONSUMER
                              && s.name().startsWith("conversation.outbound.voice"))
              && spans.stream()
                  .anyMatch(
                      s ->
                          s.service().equals("conversation-core")
                              && s.name().endsWith("ChatModel/Generate"));
      if (transcript.isEmpty() || !answered) {
        continue;
      }
      traces++;
      long origin = transcript.get().startUnixNanos();
      for (ReceivedSpan s : spans) {
        String key = s.service() + " | " + s.name() + " | kind " + s.kind();
        startOffsets.computeIfAbsent(key, k -> new ArrayList<>()).add(s.startUnixNanos() - origin);
        durations
            .computeIfAbsent(key, k -> new ArrayList<>())
            .add(s.endUnixNanos() - s.startUnixNanos());
      }
    }
    TreeMap<Long, String> ordered = new TreeMap<>();
    StringBuilder out =
        new StringBuilder(
            "trace breakdown, "
                + calls
                + " calls, "
                + traces
                + " traces of turns, from channel-voice's user_message publish (start offset p50 and"
                + " p95, median duration, spans):\n");
    startOffsets.forEach(
        (key, offsets) -> {
          long start = percentileOf(offsets, 50);
          long duration = percentileOf(durations.get(key), 50);
          ordered.merge(
              start,
              String.format(
                  "  %8.2f ms  %8.2f ms  %8.2f ms  %5d  %s%n",
                  start / 1e6,
                  percentileOf(offsets, 95) / 1e6,
                  duration / 1e6,
                  offsets.size(),
                  key),
              String::concat);
        });
    ordered.values().forEach(out::append);
    return out.toString();
  }

  /** The platform's processes (children of this JVM other than SIPp), by pid, with command line. */
  private static Map<Long, String> platformProcesses() {
    Map<Long, String> out = new HashMap<>();
    ProcessHandle.current()
        .descendants()
        .forEach(
            p -> {
              String command = p.info().commandLine().orElse("");
              if (!command.contains("sipp")) {
                out.put(p.pid(), command);
              }
            });
    return out;
  }

  private static final Pattern PACER_SAMPLE =
      Pattern.compile(
          "^switchboard_voice_pacer_(sends|late_sends|overruns)_total(?:\\{[^}]*late_by=\"(\\w+)\"[^}]*})?\\s+(\\S+)",
          Pattern.MULTILINE);

  /** The channel's own pacer counters from its /q/metrics: sends, late_1ms/5ms/20ms, overruns. */
  private static Map<String, Double> pacerCounts(Platform platform) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String body =
        http.send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:" + platform.ports().voiceHttp() + "/q/metrics"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    Map<String, Double> counts = new HashMap<>();
    Matcher m = PACER_SAMPLE.matcher(body);
    while (m.find()) {
      String key = m.group(2) == null ? m.group(1) : "late_" + m.group(2);
      counts.put(key, Double.parseDouble(m.group(3)));
    }
    return counts;
  }

  /** A short name for one of the platform's processes. */
  private static String processName(String commandLine) {
    for (String module :
        List.of(
            "channel-voice",
            "conversation-core",
            "model-adapter",
            "safety-review",
            "channel-whatsapp")) {
      if (commandLine.contains(module)) {
        return module;
      }
    }
    return commandLine.contains("postgres") ? "postgresql" : "other";
  }

  /**
   * This JVM's CPU time (Kafka broker, speech-to-text stand-in, RTP endpoints, the driver), in
   * seconds.
   */
  private static double ownCpuSeconds() {
    return cpuSeconds(java.util.Set.of(ProcessHandle.current().pid()))
        .getOrDefault(ProcessHandle.current().pid(), 0.0);
  }

  /** utime + stime of each process from /proc/PID/stat, in seconds (USER_HZ = 100). */
  private static Map<Long, Double> cpuSeconds(java.util.Set<Long> pids) {
    Map<Long, Double> out = new HashMap<>();
    for (long pid : pids) {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
        out.put(pid, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0);
      } catch (IOException | RuntimeException gone) {
        // the process ended
      }
    }
    return out;
  }

  private static List<Turn> turns(Path voiceLog) throws IOException {
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

  private static String fixtureText(String name) throws IOException {
    try (var in = VoiceTurnBenchmark.class.getResourceAsStream("/voice/audio/" + name + ".txt")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    }
  }
}
