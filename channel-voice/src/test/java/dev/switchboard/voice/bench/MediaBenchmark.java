package dev.switchboard.voice.bench;

import dev.switchboard.voice.audio.Resampler;
import dev.switchboard.voice.codec.G711;
import dev.switchboard.voice.codec.G711Law;
import dev.switchboard.voice.jitter.JitterBuffer;
import dev.switchboard.voice.jitter.JitterBufferConfig;
import dev.switchboard.voice.media.CallMedia;
import dev.switchboard.voice.media.CallMediaSettings;
import dev.switchboard.voice.pacing.FrameSource;
import dev.switchboard.voice.pacing.PacedScheduler;
import dev.switchboard.voice.pacing.RtpSenderStream;
import dev.switchboard.voice.pipeline.EncodedAudioFrame;
import dev.switchboard.voice.pipeline.Frame;
import dev.switchboard.voice.pipeline.G711DecodeProcessor;
import dev.switchboard.voice.pipeline.Pipeline;
import dev.switchboard.voice.pipeline.PlayoutQueue;
import dev.switchboard.voice.pipeline.SpeechRecognizer;
import dev.switchboard.voice.pipeline.SpeechToTextBridge;
import dev.switchboard.voice.pipeline.TtsAudioFrame;
import dev.switchboard.voice.pipeline.VadProcessor;
import dev.switchboard.voice.testsupport.TestAudio;
import dev.switchboard.voice.vad.VadConfig;
import dev.switchboard.voice.vad.VoiceActivityDetector;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Plain-Java microbenchmark of the media path (no JMH on the classpath): CPU time per call-second
 * of G.711, resampling, VAD, the jitter buffer and the whole receive pipeline, and the send
 * lateness (jitter) of the shared paced RTP scheduler with N simulated calls sending real UDP
 * datagrams over loopback.
 *
 * <p>Run: {@code ./mvnw -B -o -q -pl channel-voice test-compile && java -cp
 * channel-voice/target/classes:channel-voice/target/test-classes
 * dev.switchboard.voice.bench.MediaBenchmark [--pacing-only] [seconds-per-pacing-run] [calls...]}
 *
 * <p>Prints {@code metric: ...} lines for BENCHMARKS.md.
 */
public final class MediaBenchmark {

  private static volatile long sink; // defeats dead-code elimination

  public static void main(String[] arguments) throws Exception {
    boolean full = arguments.length > 0 && arguments[0].equals("--full-calls");
    boolean pacingOnly = full || (arguments.length > 0 && arguments[0].equals("--pacing-only"));
    String[] args = pacingOnly ? Arrays.copyOfRange(arguments, 1, arguments.length) : arguments;
    int pacingSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int[] callCounts =
        args.length > 1
            ? Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray()
            : new int[] {1, 100, 200};
    System.out.printf(
        Locale.ROOT,
        "# java %s, %d cpus, load average %.2f%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

    if (!pacingOnly) {
      costs();
    }
    for (int calls : callCounts) {
      if (full) {
        fullCalls(calls, pacingSeconds);
      } else {
        pacing(calls, pacingSeconds);
      }
    }
    System.out.println("# sink " + sink);
  }

  private static void costs() {
    short[] speech = TestAudio.readWav("/audio/s1_8k.wav");
    short[] oneSecond = Arrays.copyOfRange(speech, 4000, 12000);
    byte[] ulawSecond = G711.encode(G711Law.ULAW, oneSecond);
    short[] tts22k = TestAudio.tone(440, 8000, 22_050, 22_050);

    perCallSecond(
        "codec.g711_duplex",
        () -> {
          short[] decoded = G711.decode(G711Law.ULAW, ulawSecond);
          byte[] encoded = G711.encode(G711Law.ULAW, oneSecond);
          return decoded[100] + encoded[100];
        });
    Resampler down = new Resampler(22_050, 8000);
    perCallSecond(
        "resampler.tts_22050_to_8000",
        () -> {
          long s = 0;
          for (int at = 0; at < tts22k.length; at += 441) {
            s += down.process(tts22k, at, 441).length;
          }
          return s;
        });
    Resampler up = new Resampler(8000, 16_000);
    perCallSecond(
        "resampler.stt_8000_to_16000",
        () -> {
          long s = 0;
          for (int at = 0; at < oneSecond.length; at += 160) {
            s += up.process(oneSecond, at, 160).length;
          }
          return s;
        });
    VoiceActivityDetector vad = new VoiceActivityDetector(VadConfig.telephone());
    perCallSecond(
        "vad.detect",
        () -> {
          long s = 0;
          for (int at = 0; at < oneSecond.length; at += 160) {
            s += vad.process(oneSecond, at, 160).isPresent() ? 1 : 0;
          }
          return s + (vad.isSpeaking() ? 1 : 0);
        });
    JitterBuffer jitter = new JitterBuffer(JitterBufferConfig.defaults());
    long[] seq = {0};
    byte[] payload = new byte[160];
    perCallSecond(
        "jitter.offer_poll",
        () -> {
          long s = 0;
          for (int i = 0; i < 50; i++) {
            long k = seq[0]++;
            jitter.offer((int) (k & 0xFFFF), k * 160, payload, k * 20_000_000L);
            s += jitter.poll().hashCode();
          }
          return s;
        });
    SpeechRecognizer nullRecognizer =
        new SpeechRecognizer() {
          @Override
          public int sampleRate() {
            return 16_000;
          }

          @Override
          public RecognitionStream open() {
            return new RecognitionStream() {
              @Override
              public void send(short[] samples) {
                sink += samples.length;
              }

              @Override
              public void finish() {}

              @Override
              public void cancel() {}
            };
          }
        };
    Pipeline receive =
        Pipeline.of(
            new G711DecodeProcessor(160),
            new VadProcessor(VadConfig.telephone()),
            new SpeechToTextBridge(nullRecognizer, 300, 100));
    List<Frame> frames = new ArrayList<>();
    for (int at = 0; at + 160 <= speech.length - 800; at += 160) {
      frames.add(
          new EncodedAudioFrame(
              G711Law.ULAW, G711.encode(G711Law.ULAW, Arrays.copyOfRange(speech, at, at + 160))));
    }
    List<Frame> firstSecond = frames.subList(0, 50);
    int[] cursor = {0};
    perCallSecond(
        "pipeline.receive_decode_vad_stt16k",
        () -> {
          // Cycle through the spoken question so the VAD opens and closes utterances.
          long s = 0;
          for (int i = 0; i < 50; i++) {
            receive.process(frames.get(cursor[0]++ % frames.size()), f -> sink++);
          }
          return s + firstSecond.size();
        });

    // One whole call-second of CallMedia: 50 RTP datagrams in, 50 ticks (send one packet of reply
    // audio, jitter buffer -> decode -> VAD -> barge-in -> STT bridge), RTCP when due.
    CallMedia call =
        new CallMedia(
            CallMediaSettings.defaults(G711Law.ULAW, 101, 0x1234, "bench@node"),
            nullRecognizer,
            (datagram, length) -> sink += length,
            (datagram, length) -> sink += length,
            frame -> sink++,
            Runnable::run,
            (utterance, nanos) -> {},
            System::currentTimeMillis,
            new java.util.Random(1));
    List<byte[]> datagrams = new ArrayList<>();
    for (int k = 0; k < frames.size(); k++) {
      EncodedAudioFrame f = (EncodedAudioFrame) frames.get(k);
      datagrams.add(
          dev.switchboard.voice.rtp.RtpSerializer.serialize(
              dev.switchboard.voice.rtp.RtpPacket.of(false, 0, k, 160L * k, 77, f.payload())));
    }
    long[] callClock = {0};
    int[] packetIndex = {0};
    short[] replySecond = TestAudio.tone(300, 6000, 8000, 8000);
    perCallSecond(
        "call_media.full_duplex_tick",
        () -> {
          if (call.playout().queuedMillis() < 1000) {
            call.playout().enqueue(new TtsAudioFrame(replySecond, 8000, "reply", true));
          }
          for (int i = 0; i < 50; i++) {
            int k = packetIndex[0]++;
            byte[] d = datagrams.get(k % datagrams.size());
            d[2] = (byte) (k >>> 8); // a never-repeating sequence number
            d[3] = (byte) k;
            long t = k * 20_000_000L;
            d[4] = (byte) ((160L * k) >>> 24); // and a matching timestamp
            d[5] = (byte) ((160L * k) >>> 16);
            d[6] = (byte) ((160L * k) >>> 8);
            d[7] = (byte) (160L * k);
            call.onRtp(d, 0, d.length, t);
            call.onTick(t, t);
          }
          return packetIndex[0];
        });
  }

  private interface Work {
    long run();
  }

  /**
   * Times {@code work} (one call-second of audio) and prints its cost per call-second. Uses the
   * thread's CPU time, not wall time, so other processes on a shared machine do not inflate it.
   */
  private static void perCallSecond(String name, Work work) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long deadline = System.nanoTime() + 1_500_000_000L; // warm-up
    while (System.nanoTime() < deadline) {
      sink += work.run();
    }
    double[] samples = new double[7];
    for (int r = 0; r < samples.length; r++) {
      int iterations = 0;
      long start = threads.getCurrentThreadCpuTime();
      long end;
      do {
        sink += work.run();
        iterations++;
        end = threads.getCurrentThreadCpuTime();
      } while (end - start < 300_000_000L);
      samples[r] = (end - start) / (double) iterations;
    }
    Arrays.sort(samples);
    double median = samples[samples.length / 2];
    System.out.printf(
        Locale.ROOT, "metric: media.%s_cost = %.1f us per call-second%n", name, median / 1000);
    System.out.printf(
        Locale.ROOT,
        "#   (= %.3f %% of one core per call; min %.1f us, max %.1f us)%n",
        median / 1e7,
        samples[0] / 1000,
        samples[samples.length - 1] / 1000);
  }

  /**
   * N whole {@link CallMedia} objects on one pacer: a simulated caller thread delivers one spoken
   * G.711 packet per call every 20 ms; each tick sends reply audio as RTP over loopback and runs
   * the receive pipeline (jitter buffer, decode, VAD, barge-in, STT bridge at 16 kHz) inline on the
   * pacer thread. Reports send lateness and the CPU of the pacer and the caller threads.
   */
  private static void fullCalls(int calls, int seconds) throws Exception {
    short[] speech = TestAudio.readWav("/audio/s1_8k.wav");
    List<byte[]> spoken = new ArrayList<>();
    for (int at = 0; at + 160 <= speech.length; at += 160) {
      spoken.add(G711.encode(G711Law.ULAW, Arrays.copyOfRange(speech, at, at + 160)));
    }
    SpeechRecognizer recognizer =
        new SpeechRecognizer() {
          @Override
          public int sampleRate() {
            return 16_000;
          }

          @Override
          public RecognitionStream open() {
            return new RecognitionStream() {
              @Override
              public void send(short[] samples) {
                sink += samples.length;
              }

              @Override
              public void finish() {}

              @Override
              public void cancel() {}
            };
          }
        };
    try (DatagramChannel receiver =
            DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        DatagramChannel sender = DatagramChannel.open()) {
      sender.configureBlocking(false);
      sender.connect(receiver.getLocalAddress());
      receiver.configureBlocking(false);
      ByteBuffer out = ByteBuffer.allocateDirect(256);
      PacedScheduler scheduler = PacedScheduler.twentyMillis();
      short[] replySecond = TestAudio.tone(300, 6000, 8000, 8000);
      List<CallMedia> media = new ArrayList<>();
      for (int c = 0; c < calls; c++) {
        CallMedia call =
            new CallMedia(
                CallMediaSettings.defaults(G711Law.ULAW, 101, 1000 + c, "bench@node"),
                recognizer,
                (datagram, length) -> {
                  out.clear();
                  out.put(datagram, 0, length).flip();
                  try {
                    sender.write(out);
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                },
                (datagram, length) -> sink += length,
                frame -> sink++,
                Runnable::run,
                (u, n) -> {},
                System::currentTimeMillis,
                new java.util.Random(c));
        call.playout().enqueue(new TtsAudioFrame(replySecond, 8000, "greeting", false));
        media.add(call);
        scheduler.register(call);
      }
      // The callers: one thread sending each call's next packet every 20 ms.
      java.util.concurrent.atomic.AtomicBoolean talking =
          new java.util.concurrent.atomic.AtomicBoolean(true);
      Thread callers =
          new Thread(
              () -> {
                long next = System.nanoTime();
                int k = 0;
                while (talking.get()) {
                  byte[] payload = spoken.get(k % spoken.size());
                  for (int c = 0; c < media.size(); c++) {
                    byte[] d =
                        dev.switchboard.voice.rtp.RtpSerializer.serialize(
                            dev.switchboard.voice.rtp.RtpPacket.of(
                                false, 0, k & 0xFFFF, 160L * k, 5000 + c, payload));
                    media.get(c).onRtp(d, 0, d.length, System.nanoTime());
                  }
                  for (CallMedia call : media) {
                    if (call.playout().queuedMillis() < 200) {
                      call.playout()
                          .enqueue(new TtsAudioFrame(replySecond, 8000, "greeting", false));
                    }
                  }
                  k++;
                  next += 20_000_000L;
                  java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
                }
              },
              "simulated-callers");
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      callers.start();
      scheduler.start();
      Thread pacer =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().equals("media-pacer"))
              .findFirst()
              .orElseThrow();
      ByteBuffer drain = ByteBuffer.allocate(2048);
      long warmupEnd = System.nanoTime() + 3_000_000_000L;
      while (System.nanoTime() < warmupEnd) {
        while (receiver.receive(drain.clear()) != null) {
          // empty the socket
        }
        Thread.sleep(5);
      }
      scheduler.sendJitter().reset();
      long pacerCpu = threads.getThreadCpuTime(pacer.getId());
      long callersCpu = threads.getThreadCpuTime(callers.getId());
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      while (System.nanoTime() < end) {
        while (receiver.receive(drain.clear()) != null) {
          // empty the socket
        }
        Thread.sleep(5);
      }
      pacerCpu = threads.getThreadCpuTime(pacer.getId()) - pacerCpu;
      callersCpu = threads.getThreadCpuTime(callers.getId()) - callersCpu;
      talking.set(false);
      callers.join();
      scheduler.close();
      long received = media.stream().mapToLong(m -> m.stats().packetsReceived()).sum();
      long concealed = media.stream().mapToLong(m -> m.stats().jitterBuffer().concealed()).sum();
      var histogram = scheduler.sendJitter();
      System.out.printf(
          Locale.ROOT,
          "# full calls: %d for %d s: %d sends, %d caller packets received, %d concealed, %d overruns%n",
          calls,
          seconds,
          histogram.count(),
          received,
          concealed,
          scheduler.overruns());
      System.out.printf(
          Locale.ROOT,
          "metric: media.full_call_send_jitter_p50_%dcalls = %.2f ms%n",
          calls,
          histogram.percentileMicros(0.50) / 1000);
      System.out.printf(
          Locale.ROOT,
          "metric: media.full_call_send_jitter_p99_%dcalls = %.2f ms%n",
          calls,
          histogram.percentileMicros(0.99) / 1000);
      System.out.printf(
          Locale.ROOT,
          "metric: media.full_call_send_jitter_max_%dcalls = %.2f ms%n",
          calls,
          histogram.maxMicros() / 1000);
      System.out.printf(
          Locale.ROOT,
          "metric: media.full_call_pacer_cpu_per_call_%dcalls = %.3f %% of one core%n",
          calls,
          pacerCpu / (double) seconds / 1e9 * 100 / calls);
      System.out.printf(
          Locale.ROOT,
          "# simulated callers' thread: %.3f %% of one core per call (test load, not ours)%n",
          callersCpu / (double) seconds / 1e9 * 100 / calls);
    }
  }

  /** N calls on one shared pacer, each sending real G.711 RTP to a loopback socket. */
  private static void pacing(int calls, int seconds) throws IOException, InterruptedException {
    try (DatagramChannel receiver =
            DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        DatagramChannel sender = DatagramChannel.open()) {
      sender.configureBlocking(false);
      sender.connect(receiver.getLocalAddress());
      receiver.configureBlocking(false);
      ByteBuffer drain = ByteBuffer.allocate(2048);
      PacedScheduler scheduler = PacedScheduler.twentyMillis();
      short[] ttsSecond = TestAudio.tone(300, 6000, 8000, 8000);
      for (int c = 0; c < calls; c++) {
        PlayoutQueue playout = new PlayoutQueue(160);
        FrameSource source =
            () -> {
              if (playout.queuedMillis() < 200) { // endless reply: refill like a TTS stream would
                playout.enqueue(new TtsAudioFrame(ttsSecond, 8000, "reply", true));
              }
              return playout
                  .nextFrame()
                  .map(f -> new FrameSource.OutgoingFrame(f.samples(), f.utteranceId()));
            };
        ByteBuffer out = ByteBuffer.allocateDirect(256);
        RtpSenderStream stream =
            new RtpSenderStream(
                source,
                (datagram, length) -> {
                  out.clear();
                  out.put(datagram, 0, length).flip();
                  try {
                    sender.write(out);
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                },
                G711Law.ULAW,
                1000 + c,
                c,
                c * 7L,
                160,
                (u, n) -> {});
        scheduler.register(stream);
      }
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      scheduler.start();
      Thread pacer =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().equals("media-pacer"))
              .findFirst()
              .orElseThrow();
      long warmupEnd = System.nanoTime() + 2_000_000_000L;
      while (System.nanoTime() < warmupEnd) {
        while (receiver.receive(drain.clear()) != null) {
          // keep the socket buffer empty
        }
        Thread.sleep(5);
      }
      scheduler.sendJitter().reset();
      long overrunsBefore = scheduler.overruns();
      long cpuBefore = threads.getThreadCpuTime(pacer.getId());
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      long received = 0;
      while (System.nanoTime() < end) {
        while (receiver.receive(drain.clear()) != null) {
          received++;
        }
        Thread.sleep(5);
      }
      long cpu = threads.getThreadCpuTime(pacer.getId()) - cpuBefore;
      scheduler.close();
      var histogram = scheduler.sendJitter();
      System.out.printf(
          Locale.ROOT,
          "# pacing with %d calls for %d s: %d sends, %d received on loopback, %d overruns%n",
          calls,
          seconds,
          histogram.count(),
          received,
          scheduler.overruns() - overrunsBefore);
      System.out.printf(
          Locale.ROOT,
          "metric: media.pacer_send_jitter_p50_%dcalls = %.2f ms%n",
          calls,
          histogram.percentileMicros(0.50) / 1000);
      System.out.printf(
          Locale.ROOT,
          "metric: media.pacer_send_jitter_p99_%dcalls = %.2f ms%n",
          calls,
          histogram.percentileMicros(0.99) / 1000);
      System.out.printf(
          Locale.ROOT,
          "metric: media.pacer_send_jitter_max_%dcalls = %.2f ms%n",
          calls,
          histogram.maxMicros() / 1000);
      System.out.printf(
          Locale.ROOT,
          "metric: media.pacer_cpu_per_call_%dcalls = %.3f %% of one core%n",
          calls,
          cpu / (double) seconds / 1e9 * 100 / calls);
    }
  }

  private MediaBenchmark() {}
}
