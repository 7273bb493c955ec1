package dev.switchboard.voice.pipeline;

import dev.switchboard.voice.codec.G711;
import dev.switchboard.voice.jitter.LossConcealer;

/** Decodes the caller's G.711 frames to 8 kHz PCM {@link AudioFrame}s and conceals missing ones. */
public final class G711DecodeProcessor implements FrameProcessor {

  /** G.711 runs at 8 kHz. */
  public static final int SAMPLE_RATE = 8000;

  private final LossConcealer concealer;

  /**
   * @param samplesPerFrame the packetization (160 for 20 ms)
   */
  public G711DecodeProcessor(int samplesPerFrame) {
    this.concealer = new LossConcealer(samplesPerFrame);
  }

  @Override
  public void process(Frame frame, FrameSink downstream) {
    if (frame instanceof EncodedAudioFrame encoded) {
      short[] pcm = G711.decode(encoded.law(), encoded.payload());
      downstream.push(new AudioFrame(concealer.onGoodFrame(pcm), SAMPLE_RATE));
    } else if (frame instanceof MissingAudioFrame) {
      downstream.push(new AudioFrame(concealer.conceal(), SAMPLE_RATE));
    } else {
      downstream.push(frame);
    }
  }
}
