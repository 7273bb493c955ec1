package dev.switchboard.voice.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.switchboard.voice.codec.G711Law;
import dev.switchboard.voice.dtmf.DtmfDigit;
import dev.switchboard.voice.dtmf.DtmfReceiver;
import dev.switchboard.voice.pacing.PacedScheduler;
import dev.switchboard.voice.pipeline.AudioFrame;
import dev.switchboard.voice.pipeline.Frame;
import dev.switchboard.voice.pipeline.SpeechRecognizer;
import dev.switchboard.voice.rtp.RtpPacket;
import dev.switchboard.voice.rtp.RtpParseResult;
import dev.switchboard.voice.rtp.RtpParser;
import dev.switchboard.voice.testsupport.SippCaptures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our receive path against RTP that another implementation (SIPp) produced. */
class SippCapturedMediaTest {

  private static final long MS = 1_000_000L;

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "dtmf_2833_0.pcap,0", "dtmf_2833_1.pcap,1", "dtmf_2833_2.pcap,2", "dtmf_2833_3.pcap,3",
    "dtmf_2833_4.pcap,4", "dtmf_2833_5.pcap,5", "dtmf_2833_6.pcap,6", "dtmf_2833_7.pcap,7",
    "dtmf_2833_8.pcap,8", "dtmf_2833_9.pcap,9", "dtmf_2833_star.pcap,*", "dtmf_2833_pound.pcap,#"
  })
  void eachSippKeyPressCaptureIsExactlyOneDigit(String file, char expected) {
    RtpParser parser = new RtpParser();
    DtmfReceiver receiver = new DtmfReceiver(8000);
    List<DtmfDigit> digits = new ArrayList<>();
    for (SippCaptures.Datagram datagram : SippCaptures.read(file)) {
      RtpPacket packet =
          assertInstanceOf(RtpParseResult.Parsed.class, parser.parse(datagram.payload())).packet();
      digits.addAll(receiver.onPacket(packet.timestamp(), packet.payload()));
    }
    receiver.flushPending().ifPresent(digits::add);

    assertEquals(1, digits.size(), digits.toString());
    assertEquals(expected, digits.get(0).digit());
  }

  @Test
  void sippsThirtyMillisecondPcmaStreamPlaysBitExactThroughTheWholeReceivePath() throws Exception {
    List<SippCaptures.Datagram> capture = SippCaptures.read("g711a.pcap");
    RtpParser parser = new RtpParser();
    ByteArrayOutputStream allPayloads = new ByteArrayOutputStream();
    for (SippCaptures.Datagram d : capture) {
      RtpPacket packet =
          assertInstanceOf(RtpParseResult.Parsed.class, parser.parse(d.payload())).packet();
      assertEquals(8, packet.payloadType());
      allPayloads.writeBytes(packet.payload());
    }
    assertEquals(240, allPayloads.size() / capture.size(), "SIPp sends 30 ms packets");
    short[] reference = javaSoundAlawDecode(allPayloads.toByteArray());

    List<Frame> events = new ArrayList<>();
    AtomicLong clock = new AtomicLong(capture.get(0).captureNanos());
    CallMedia media =
        new CallMedia(
            CallMediaSettings.defaults(G711Law.ALAW, 101, 1, "voice@test"),
            new SpeechRecognizer() {
              @Override
              public int sampleRate() {
                return 16_000;
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
            },
            (datagram, length) -> {},
            (datagram, length) -> {},
            events::add,
            Runnable::run,
            (u, n) -> {},
            () -> 0L,
            new Random(1));
    PacedScheduler scheduler = new PacedScheduler(20, 20, clock::get);
    scheduler.register(media);
    long end = capture.get(capture.size() - 1).captureNanos() + 500 * MS;
    int next = 0;
    while (clock.get() < end) {
      while (next < capture.size() && capture.get(next).captureNanos() <= clock.get()) {
        byte[] d = capture.get(next++).payload();
        media.onRtp(d, 0, d.length, clock.get());
      }
      scheduler.runDue();
      clock.addAndGet(MS);
    }

    ByteArrayOutputStream heard = new ByteArrayOutputStream();
    boolean started = false;
    for (Frame frame : events) {
      if (frame instanceof AudioFrame audio) {
        boolean silent = java.util.Arrays.stream(toInts(audio.samples())).allMatch(v -> v == 0);
        started |= !silent;
        if (started) {
          for (short s : audio.samples()) {
            heard.write(s & 0xFF);
            heard.write(s >> 8);
          }
        }
      }
    }
    short[] played = toShorts(heard.toByteArray());
    assertEquals(0, media.stats().jitterBuffer().concealed(), "nothing lost or late");
    short[] playedSpeech = java.util.Arrays.copyOf(played, reference.length);
    assertArrayEquals(reference, playedSpeech, "every sample, in order, no gaps");
  }

  private static short[] javaSoundAlawDecode(byte[] alaw) throws Exception {
    AudioFormat format = new AudioFormat(AudioFormat.Encoding.ALAW, 8000f, 8, 1, 1, 8000f, false);
    try (AudioInputStream pcm =
        AudioSystem.getAudioInputStream(
            AudioFormat.Encoding.PCM_SIGNED,
            new AudioInputStream(new ByteArrayInputStream(alaw), format, alaw.length))) {
      return toShorts(pcm.readAllBytes());
    }
  }

  private static short[] toShorts(byte[] littleEndian) {
    short[] out = new short[littleEndian.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (short) ((littleEndian[2 * i] & 0xFF) | (littleEndian[2 * i + 1] << 8));
    }
    return out;
  }

  private static int[] toInts(short[] samples) {
    int[] out = new int[samples.length];
    for (int i = 0; i < samples.length; i++) {
      out[i] = samples[i];
    }
    return out;
  }
}
