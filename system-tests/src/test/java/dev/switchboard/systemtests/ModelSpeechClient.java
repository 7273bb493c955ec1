package dev.switchboard.systemtests;

import dev.switchboard.contracts.model.AudioChunk;
import dev.switchboard.contracts.model.SynthesizeRequest;
import dev.switchboard.contracts.model.TextToSpeechGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * Asks the running model-adapter (gRPC {@code TextToSpeech.Synthesize}) for the audio of a text:
 * the same engine and resampling the voice channel gets, so the test knows how long a reply must
 * sound without guessing.
 */
final class ModelSpeechClient implements AutoCloseable {
  private final ManagedChannel channel;

  ModelSpeechClient(int grpcPort) {
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
  }

  /** The synthesized audio of {@code text} as 16-bit samples at {@code sampleRate}. */
  short[] synthesize(String text, String language, int sampleRate) {
    Iterator<AudioChunk> chunks =
        TextToSpeechGrpc.newBlockingStub(channel)
            .withDeadlineAfter(60, TimeUnit.SECONDS)
            .synthesize(
                SynthesizeRequest.newBuilder()
                    .setText(text)
                    .setLanguage(language)
                    .setSampleRateHz(sampleRate)
                    .build());
    java.io.ByteArrayOutputStream pcm = new java.io.ByteArrayOutputStream();
    while (chunks.hasNext()) {
      AudioChunk chunk = chunks.next();
      if (chunk.getSampleRateHz() != 0 && chunk.getSampleRateHz() != sampleRate) {
        throw new AssertionError("asked for " + sampleRate + " Hz, got " + chunk);
      }
      pcm.writeBytes(chunk.getPcm16Le().toByteArray());
    }
    ByteBuffer bytes = ByteBuffer.wrap(pcm.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
    short[] samples = new short[bytes.remaining() / 2];
    bytes.asShortBuffer().get(samples);
    return samples;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
