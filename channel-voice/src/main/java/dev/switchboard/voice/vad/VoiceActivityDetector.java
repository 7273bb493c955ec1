package dev.switchboard.voice.vad;

import java.util.Optional;

/**
 * Energy-based voice activity detection with an adaptive noise floor, hangover, endpointing and a
 * minimum utterance length, for one caller's 20 ms PCM frames.
 *
 * <p>Noise floor: the energy of the quietest frame in a sliding window (minimum statistics). Speech
 * always has dips between syllables, so the floor tracks the background even while someone talks,
 * and a steady noise of any level becomes the floor within one window. A frame is active when it is
 * {@code marginDb} above the floor and above an absolute threshold.
 *
 * <p>States: SILENCE -> ONSET (active frames seen) -> SPEECH (onset long enough: {@link
 * VadEvent.SpeechStarted}) -> back to SILENCE after the endpointing window of silence, with {@link
 * VadEvent.UtteranceEnded} or, if the utterance held less active audio than the minimum, {@link
 * VadEvent.SpeechDiscarded}. The window shrinks when {@link #onPartialTranscript} sees a finished
 * sentence. A sound that stays active at a steady level for 400 ms (a fan, a car starting) is taken
 * as the new background: speech in progress is discarded and the floor jumps to it. Limit: frames
 * are assumed to be 20 ms for that rule.
 *
 * <p>Not thread-safe: one per call, fed by the call's media path.
 */
public final class VoiceActivityDetector {

  private static final double SILENCE_DBFS = -100.0;
  private static final int STATIONARY_FRAMES = 20;
  private static final double STATIONARY_SPREAD_DB = 3.0;

  private enum State {
    SILENCE,
    ONSET,
    SPEECH
  }

  private final VadConfig config;
  private final SlidingMinimum quietest = new SlidingMinimum(); // energyDb over the noise window
  private State state = State.SILENCE;
  private double elapsedMillis;
  private double noiseFloorDb = SILENCE_DBFS;
  private double startMillis;
  private double lastActiveEndMillis;
  private double activeMillis;
  private boolean sentenceComplete;
  private final double[] recentEnergy = new double[STATIONARY_FRAMES];
  private final boolean[] recentActive = new boolean[STATIONARY_FRAMES];
  private int recentNext;
  private int recentCount;

  public VoiceActivityDetector(VadConfig config) {
    this.config = config;
  }

  /**
   * Analyses the next frame of audio.
   *
   * @return the event this frame completes, if any
   */
  public Optional<VadEvent> process(short[] frame) {
    return process(frame, 0, frame.length);
  }

  /** Analyses {@code length} samples of {@code pcm} from {@code offset}. */
  public Optional<VadEvent> process(short[] pcm, int offset, int length) {
    double frameMillis = length * 1000.0 / config.sampleRate();
    double frameStart = elapsedMillis;
    elapsedMillis += frameMillis;
    double energy = energyDbfs(pcm, offset, length);
    updateNoiseFloor(energy);
    boolean active = energy >= threshold();
    recordRecent(energy, active);
    if (state != State.SILENCE && isStationary()) {
      return absorbStationaryNoise();
    }

    switch (state) {
      case SILENCE -> {
        if (active) {
          state = State.ONSET;
          startMillis = frameStart;
          activeMillis = frameMillis;
          lastActiveEndMillis = elapsedMillis;
        }
      }
      case ONSET -> {
        if (active) {
          activeMillis += frameMillis;
          lastActiveEndMillis = elapsedMillis;
          if (activeMillis >= config.onsetMillis()) {
            state = State.SPEECH;
            return Optional.of(new VadEvent.SpeechStarted(Math.round(startMillis)));
          }
        } else if (elapsedMillis - lastActiveEndMillis > config.hangoverMillis()) {
          state = State.SILENCE; // a click: never long enough to start
        }
      }
      case SPEECH -> {
        if (active) {
          activeMillis += frameMillis;
          lastActiveEndMillis = elapsedMillis;
        }
        if (elapsedMillis - startMillis >= config.maxUtteranceMillis()) {
          return Optional.of(finish(true));
        }
        if (elapsedMillis - lastActiveEndMillis >= currentEndpointMillis()) {
          return Optional.of(finish(false));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Tells the detector what the recognizer has heard so far in this utterance; a partial ending in
   * sentence punctuation shortens the endpointing window, so a finished question is answered
   * sooner.
   */
  public void onPartialTranscript(String partial) {
    String trimmed = partial == null ? "" : partial.strip();
    sentenceComplete =
        !trimmed.isEmpty() && ".?!。？！".indexOf(trimmed.charAt(trimmed.length() - 1)) >= 0;
  }

  /** Whether the caller is talking now (speech started and within the hangover). */
  public boolean isSpeaking() {
    return state == State.SPEECH && elapsedMillis - lastActiveEndMillis <= config.hangoverMillis();
  }

  /** Whether an utterance is open (started and not yet ended). */
  public boolean inUtterance() {
    return state == State.SPEECH;
  }

  /** The current noise floor estimate in dBFS. */
  public double noiseFloorDbfs() {
    return noiseFloorDb;
  }

  /** The endpointing window in force now. */
  public int currentEndpointMillis() {
    return sentenceComplete ? config.sentenceEndEndpointMillis() : config.endpointMillis();
  }

  /** Milliseconds of audio analysed so far. */
  public long elapsedMillis() {
    return Math.round(elapsedMillis);
  }

  private VadEvent finish(boolean cutOff) {
    state = State.SILENCE;
    sentenceComplete = false;
    long start = Math.round(startMillis);
    long end = Math.round(cutOff ? elapsedMillis : lastActiveEndMillis);
    long active = Math.round(activeMillis);
    if (active < config.minUtteranceMillis()) {
      return new VadEvent.SpeechDiscarded(start, end, active);
    }
    return new VadEvent.UtteranceEnded(start, end, active, cutOff);
  }

  /**
   * Speech rises and falls by well over {@value #STATIONARY_SPREAD_DB} dB within {@value
   * #STATIONARY_FRAMES} frames; a sound that stays active and that level-steady is a new background
   * (a fan, a car), not a talker.
   */
  private boolean isStationary() {
    if (recentCount < STATIONARY_FRAMES) {
      return false;
    }
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (int i = 0; i < STATIONARY_FRAMES; i++) {
      if (!recentActive[i]) {
        return false;
      }
      min = Math.min(min, recentEnergy[i]);
      max = Math.max(max, recentEnergy[i]);
    }
    return max - min <= STATIONARY_SPREAD_DB;
  }

  private Optional<VadEvent> absorbStationaryNoise() {
    quietest.clear();
    for (int i = 0; i < STATIONARY_FRAMES; i++) {
      quietest.add(elapsedMillis, recentEnergy[i]);
    }
    noiseFloorDb = quietest.min(noiseFloorDb);
    recentCount = 0;
    boolean wasSpeech = state == State.SPEECH;
    state = State.SILENCE;
    sentenceComplete = false;
    if (wasSpeech) {
      return Optional.of(
          new VadEvent.SpeechDiscarded(
              Math.round(startMillis), Math.round(lastActiveEndMillis), Math.round(activeMillis)));
    }
    return Optional.empty();
  }

  private void recordRecent(double energy, boolean active) {
    recentEnergy[recentNext] = energy;
    recentActive[recentNext] = active;
    recentNext = (recentNext + 1) % STATIONARY_FRAMES;
    recentCount = Math.min(recentCount + 1, STATIONARY_FRAMES);
  }

  private double threshold() {
    return Math.max(noiseFloorDb + config.marginDb(), config.absoluteThresholdDbfs());
  }

  private void updateNoiseFloor(double energy) {
    quietest.add(elapsedMillis, energy);
    quietest.expireThrough(elapsedMillis - config.noiseWindowMillis());
    noiseFloorDb = quietest.min(noiseFloorDb);
  }

  private static double energyDbfs(short[] pcm, int offset, int length) {
    if (length == 0) {
      return SILENCE_DBFS;
    }
    double sum = 0;
    for (int i = offset; i < offset + length; i++) {
      sum += (double) pcm[i] * pcm[i];
    }
    double meanSquare = sum / length / (32768.0 * 32768.0);
    return meanSquare <= 1e-10 ? SILENCE_DBFS : Math.max(SILENCE_DBFS, 10 * Math.log10(meanSquare));
  }
}
