package dev.switchboard.modeladapter.grpc;

import com.google.protobuf.ByteString;
import dev.switchboard.contracts.model.AudioChunk;
import dev.switchboard.contracts.model.SynthesizeRequest;
import dev.switchboard.contracts.model.TextToSpeech;
import dev.switchboard.modeladapter.tts.SpeechRequest;
import dev.switchboard.modeladapter.tts.SpeechService;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;

/** The gRPC face of text-to-speech: 16-bit little-endian mono PCM at the requested rate. */
@GrpcService
public class TextToSpeechService implements TextToSpeech {

  private static final int MAX_TEXT_CHARS = 4_096;
  private static final int MAX_RATE = 48_000;
  private static final int MIN_RATE = 8_000;

  private final SpeechService speech;

  public TextToSpeechService(SpeechService speech) {
    this.speech = speech;
  }

  @Override
  public Multi<AudioChunk> synthesize(SynthesizeRequest request) {
    if (request.getText().isBlank() || request.getText().length() > MAX_TEXT_CHARS) {
      return invalid("text must be 1 to " + MAX_TEXT_CHARS + " characters");
    }
    int rate = request.getSampleRateHz();
    if (rate != 0 && (rate < MIN_RATE || rate > MAX_RATE)) {
      return invalid("sample_rate_hz must be 0 (backend default) or 8000 to 48000");
    }
    SpeechRequest speechRequest =
        new SpeechRequest(request.getText(), request.getLanguage(), request.getVoice(), rate);
    return speech
        .synthesize(speechRequest)
        .map(
            chunk ->
                AudioChunk.newBuilder()
                    .setPcm16Le(ByteString.copyFrom(chunk.pcm16le()))
                    .setSampleRateHz(chunk.sampleRateHz())
                    .build())
        .onFailure()
        .transform(GrpcErrors::toStatus);
  }

  private static Multi<AudioChunk> invalid(String message) {
    return Multi.createFrom()
        .failure(Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException());
  }
}
