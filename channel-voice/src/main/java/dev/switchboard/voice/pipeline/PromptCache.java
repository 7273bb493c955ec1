package dev.switchboard.voice.pipeline;

import dev.switchboard.voice.audio.Resampler;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed prompts (greeting, apologies, goodbye, "are you still there?") synthesized once and kept as
 * 8 kHz PCM, so they start playing on the next tick with no TTS round trip. Thread-safe; shared by
 * all calls of a node.
 */
public final class PromptCache {

  private final ConcurrentHashMap<String, short[]> prompts = new ConcurrentHashMap<>();

  /** Stores a prompt, converting it to 8 kHz once. */
  public void put(String promptKey, short[] samples, int sampleRate) {
    short[] narrowband = samples;
    if (sampleRate != 8000) {
      Resampler resampler = new Resampler(sampleRate, 8000);
      short[] body = resampler.process(samples);
      // Flush the filter's delay line so the prompt's last syllable is not cut.
      short[] tail =
          resampler.process(new short[(int) Math.ceil(resampler.delayInputSamples()) + 1]);
      narrowband = new short[body.length + tail.length];
      System.arraycopy(body, 0, narrowband, 0, body.length);
      System.arraycopy(tail, 0, narrowband, body.length, tail.length);
    }
    prompts.put(promptKey, narrowband);
  }

  /** Whether the prompt is cached. */
  public boolean contains(String promptKey) {
    return prompts.containsKey(promptKey);
  }

  /** The prompt's length in ms, if cached. */
  public Optional<Integer> millis(String promptKey) {
    return Optional.ofNullable(prompts.get(promptKey)).map(s -> s.length / 8);
  }

  /**
   * Queues a cached prompt behind whatever is playing.
   *
   * @param utteranceId id for this playback (latency stages and logs)
   * @param interruptible false for the greeting with the safety disclosure
   * @return false if the prompt is not cached (the caller synthesizes it instead)
   */
  public boolean play(
      String promptKey, PlayoutQueue playout, String utteranceId, boolean interruptible) {
    short[] samples = prompts.get(promptKey);
    if (samples == null) {
      return false;
    }
    playout.enqueue(new TtsAudioFrame(samples, 8000, utteranceId, interruptible));
    playout.flushUtterance();
    return true;
  }
}
