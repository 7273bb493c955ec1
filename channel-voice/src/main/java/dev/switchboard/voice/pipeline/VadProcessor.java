package dev.switchboard.voice.pipeline;

import dev.switchboard.voice.vad.VadConfig;
import dev.switchboard.voice.vad.VadEvent;
import dev.switchboard.voice.vad.VoiceActivityDetector;

/**
 * Runs voice activity detection and endpointing on the caller's audio. Audio passes through; the
 * VAD's decisions follow it as control frames ({@link UserStartedSpeakingFrame}, {@link
 * UserStoppedSpeakingFrame}, {@link SpeechDiscardedFrame}). Partial transcripts tune endpointing.
 */
public final class VadProcessor implements FrameProcessor {

  private final VoiceActivityDetector detector;

  public VadProcessor(VadConfig config) {
    this.detector = new VoiceActivityDetector(config);
  }

  @Override
  public void process(Frame frame, FrameSink downstream) {
    if (frame instanceof AudioFrame audio) {
      downstream.push(audio);
      detector.process(audio.samples()).ifPresent(event -> downstream.push(toFrame(event)));
    } else if (frame instanceof PartialTranscriptFrame partial) {
      detector.onPartialTranscript(partial.text());
      downstream.push(partial);
    } else {
      downstream.push(frame);
    }
  }

  /** Whether the caller is talking right now (with hangover). */
  public boolean isSpeaking() {
    return detector.isSpeaking();
  }

  private static ControlFrame toFrame(VadEvent event) {
    if (event instanceof VadEvent.SpeechStarted started) {
      return new UserStartedSpeakingFrame(started.startMillis());
    }
    if (event instanceof VadEvent.UtteranceEnded ended) {
      return new UserStoppedSpeakingFrame(ended.startMillis(), ended.endMillis());
    }
    VadEvent.SpeechDiscarded discarded = (VadEvent.SpeechDiscarded) event;
    return new SpeechDiscardedFrame(discarded.startMillis(), discarded.endMillis());
  }
}
