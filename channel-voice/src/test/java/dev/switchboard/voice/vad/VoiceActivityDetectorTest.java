package dev.switchboard.voice.vad;

import static dev.switchboard.voice.testsupport.TestAudio.concat;
import static dev.switchboard.voice.testsupport.TestAudio.readWav;
import static dev.switchboard.voice.testsupport.TestAudio.whiteNoise;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VoiceActivityDetectorTest {

  private static final int FRAME = 160;

  private static List<VadEvent> run(VoiceActivityDetector vad, short[] audio) {
    return run(vad, audio, v -> {});
  }

  private static List<VadEvent> run(
      VoiceActivityDetector vad, short[] audio, Consumer<VoiceActivityDetector> perFrame) {
    List<VadEvent> events = new ArrayList<>();
    for (int at = 0; at + FRAME <= audio.length; at += FRAME) {
      vad.process(audio, at, FRAME).ifPresent(events::add);
      perFrame.accept(vad);
    }
    return events;
  }

  private static List<VadEvent.UtteranceEnded> utterances(List<VadEvent> events) {
    return events.stream()
        .filter(VadEvent.UtteranceEnded.class::isInstance)
        .map(VadEvent.UtteranceEnded.class::cast)
        .toList();
  }

  private static short[] silence(int millis) {
    return new short[millis * 8];
  }

  @ParameterizedTest
  @ValueSource(strings = {"s1_8k.wav", "s2_8k.wav", "s3_8k.wav", "s1_8k_noise.wav"})
  void findsExactlyOneUtteranceInEachSpokenQuestion(String fixture) {
    short[] audio = concat(readWav("/audio/" + fixture), silence(600)); // let the window close
    VoiceActivityDetector vad = new VoiceActivityDetector(VadConfig.telephone());

    List<VadEvent> events = run(vad, audio);

    List<VadEvent.UtteranceEnded> found = utterances(events);
    assertEquals(1, found.size(), fixture + ": " + events);
    VadEvent.UtteranceEnded utterance = found.get(0);
    // The questions last about 2.4-2.9 s of the ~4 s files, starting about 0.5 s in.
    assertTrue(utterance.startMillis() >= 400 && utterance.startMillis() <= 560, "" + utterance);
    long length = utterance.endMillis() - utterance.startMillis();
    assertTrue(length >= 2200 && length <= 3200, fixture + " utterance length " + length);
    assertInstanceOf(VadEvent.SpeechStarted.class, events.get(0));
  }

  @Test
  void pureSilenceAndNoiseAloneContainNoUtterance() {
    VoiceActivityDetector onSilence = new VoiceActivityDetector(VadConfig.telephone());
    assertEquals(List.of(), run(onSilence, silence(10_000)));
    assertEquals(
        List.of(),
        run(new VoiceActivityDetector(VadConfig.telephone()), whiteNoise(-90, 80_000, 1)));

    for (double level : new double[] {-50, -35, -20}) {
      VoiceActivityDetector vad = new VoiceActivityDetector(VadConfig.telephone());
      List<VadEvent> events = run(vad, whiteNoise(level, 80_000, (long) level));
      assertEquals(List.of(), events, "noise at " + level + " dBFS");
      assertEquals(level, vad.noiseFloorDbfs(), 3.0, "floor follows the noise");
    }
  }

  @Test
  void noiseThatGetsLouderIsAbsorbedIntoTheFloorAndSpeechAboveItIsStillFound() {
    short[] quiet = whiteNoise(-60, 16_000, 7);
    short[] loud = whiteNoise(-40, 40_000, 8);
    short[] question = readWav("/audio/s2_8k.wav");
    short[] noisyQuestion = new short[question.length];
    short[] bed = whiteNoise(-40, question.length, 9);
    for (int i = 0; i < question.length; i++) {
      noisyQuestion[i] = (short) Math.max(-32768, Math.min(32767, question[i] + bed[i]));
    }
    VoiceActivityDetector vad = new VoiceActivityDetector(VadConfig.telephone());

    List<VadEvent> events = run(vad, concat(quiet, loud, noisyQuestion, whiteNoise(-40, 8000, 10)));

    // The 20 dB step may look like a short false start, but only the question is an utterance.
    List<VadEvent.UtteranceEnded> found = utterances(events);
    assertEquals(1, found.size(), events.toString());
    assertTrue(found.get(0).startMillis() > 7_000, "the question starts after 7 s: " + found);
  }

  @Test
  void clicksAndACoughDoNotCountAsAnUtterance() {
    short[] clicks = silence(3000);
    for (int click = 0; click < 5; click++) {
      for (int i = 0; i < 80; i++) { // 10 ms full-scale clicks
        clicks[4000 + click * 4000 + i] = (short) (i % 2 == 0 ? 30_000 : -30_000);
      }
    }
    short[] cough = whiteNoise(-12, 1200, 3); // 150 ms burst
    VoiceActivityDetector vad = new VoiceActivityDetector(VadConfig.telephone());

    List<VadEvent> events = run(vad, concat(clicks, cough, silence(1000)));

    assertEquals(List.of(), utterances(events));
    assertTrue(
        events.stream().anyMatch(VadEvent.SpeechDiscarded.class::isInstance),
        "the cough started speech and was discarded: " + events);
  }

  @Test
  void aPauseShorterThanTheEndpointWindowKeepsOneUtteranceALongerOneSplitsIt() {
    short[] s1 = readWav("/audio/s1_8k.wav");
    short[] firstWords =
        java.util.Arrays.copyOfRange(s1, 4000, 12000); // speech from 0.5 s to 1.5 s
    short[] moreWords = java.util.Arrays.copyOfRange(s1, 12000, 23000);

    List<VadEvent> shortPause =
        run(
            new VoiceActivityDetector(VadConfig.telephone()),
            concat(silence(500), firstWords, silence(350), moreWords, silence(700)));
    List<VadEvent> longPause =
        run(
            new VoiceActivityDetector(VadConfig.telephone()),
            concat(silence(500), firstWords, silence(800), moreWords, silence(700)));

    assertEquals(1, utterances(shortPause).size(), shortPause.toString());
    assertEquals(2, utterances(longPause).size(), longPause.toString());
  }

  @Test
  void endpointingWaitsTheConfiguredWindowAndLessAfterAFinishedSentence() {
    short[] question = concat(readWav("/audio/s3_8k.wav"), silence(1000));

    long defaultDelay =
        endpointDelay(new VoiceActivityDetector(VadConfig.telephone()), question, false);
    long sentenceDelay =
        endpointDelay(new VoiceActivityDetector(VadConfig.telephone()), question, true);
    long configuredDelay =
        endpointDelay(
            new VoiceActivityDetector(VadConfig.telephone().withEndpointMillis(800, 300)),
            question,
            false);

    assertEquals(500, defaultDelay, 20);
    assertEquals(250, sentenceDelay, 20);
    assertEquals(800, configuredDelay, 20);
  }

  /** Time from the end of speech to the end-of-utterance decision. */
  private static long endpointDelay(
      VoiceActivityDetector vad, short[] audio, boolean sentenceDone) {
    long decidedAt = -1;
    VadEvent.UtteranceEnded ended = null;
    for (int at = 0; at + FRAME <= audio.length; at += FRAME) {
      if (sentenceDone && vad.inUtterance()) {
        vad.onPartialTranscript("Explain reinforcement fine tuning like I am five.");
      }
      var event = vad.process(audio, at, FRAME);
      if (event.isPresent() && event.get() instanceof VadEvent.UtteranceEnded u) {
        ended = u;
        decidedAt = vad.elapsedMillis();
        break;
      }
    }
    assertTrue(ended != null, "no utterance found");
    return decidedAt - ended.endMillis();
  }

  @Test
  void isSpeakingBridgesSyllableGapsWithTheHangover() {
    short[] audio = concat(silence(500), readWav("/audio/s2_8k.wav"));
    VoiceActivityDetector vad = new VoiceActivityDetector(VadConfig.telephone());
    List<Boolean> speaking = new ArrayList<>();
    run(vad, audio, v -> speaking.add(v.isSpeaking()));

    int first = speaking.indexOf(true);
    int last = speaking.lastIndexOf(true);
    long flickers = 0;
    for (int i = first + 1; i <= last; i++) {
      if (speaking.get(i) != speaking.get(i - 1)) {
        flickers++;
      }
    }
    assertTrue(first > 0 && flickers <= 4, "speaking flag changed " + flickers + " times");
    assertTrue(!speaking.get(speaking.size() - 1), "not speaking after the question");
  }
}
