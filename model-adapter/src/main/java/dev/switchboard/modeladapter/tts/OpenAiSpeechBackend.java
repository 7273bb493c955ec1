package dev.switchboard.modeladapter.tts;

import dev.switchboard.modeladapter.openai.OpenAiHttp;
import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/**
 * {@code POST /audio/speech} with {@code response_format: "pcm"}: the provider streams raw 24 kHz
 * 16-bit little-endian mono samples as it synthesizes them.
 */
public final class OpenAiSpeechBackend implements TtsBackend {

  public static final String NAME = "openai";
  private static final int RATE = 24_000;

  private final OpenAiHttp http;
  private final String model;
  private final String defaultVoice;

  public OpenAiSpeechBackend(OpenAiHttp http, String model, String defaultVoice) {
    this.http = http;
    this.model = model;
    this.defaultVoice = defaultVoice;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int nativeSampleRate() {
    return RATE;
  }

  @Override
  public Multi<PcmChunk> synthesize(SpeechRequest request) {
    JsonObject body =
        new JsonObject()
            .put("model", model)
            .put("input", request.text())
            .put("voice", request.voice().isEmpty() ? defaultVoice : request.voice())
            .put("response_format", "pcm");
    return Multi.createFrom()
        .deferred(
            () -> {
              SampleAligner aligner = new SampleAligner();
              return http.streamBytes("/audio/speech", body, "audio/pcm")
                  .map(aligner::align)
                  .select()
                  .where(bytes -> bytes.length > 0)
                  .map(bytes -> new PcmChunk(bytes, RATE));
            });
  }

  /** Network chunks can split a 2-byte sample; carry the odd byte into the next chunk. */
  private static final class SampleAligner {
    private byte[] carry = new byte[0];

    byte[] align(Buffer chunk) {
      byte[] bytes = chunk.getBytes();
      byte[] joined = new byte[carry.length + bytes.length];
      System.arraycopy(carry, 0, joined, 0, carry.length);
      System.arraycopy(bytes, 0, joined, carry.length, bytes.length);
      int even = joined.length & ~1;
      carry = Arrays.copyOfRange(joined, even, joined.length);
      return even == joined.length ? joined : Arrays.copyOf(joined, even);
    }
  }
}
