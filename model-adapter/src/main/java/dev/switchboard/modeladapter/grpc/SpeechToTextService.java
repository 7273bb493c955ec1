package dev.switchboard.modeladapter.grpc;

import dev.switchboard.contracts.model.AudioEncoding;
import dev.switchboard.contracts.model.TranscribeFileRequest;
import dev.switchboard.contracts.model.TranscribeRequest;
import dev.switchboard.contracts.model.TranscribeResponse;
import dev.switchboard.contracts.model.TranscriptionConfig;
import dev.switchboard.modeladapter.config.ModelAdapterConfig;
import dev.switchboard.modeladapter.error.ModelFailure;
import dev.switchboard.modeladapter.stt.AudioInput;
import dev.switchboard.modeladapter.stt.Transcript;
import dev.switchboard.modeladapter.stt.TranscriptionService;
import dev.switchboard.modeladapter.stt.UtteranceBuffer;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * The gRPC face of speech-to-text. The streaming form buffers the audio of an utterance and answers
 * with a final transcript per utterance (when the caller half-closes, or every {@code
 * max-utterance-seconds} of headerless audio); no partial results are produced by the current
 * backends.
 */
@GrpcService
public class SpeechToTextService implements dev.switchboard.contracts.model.SpeechToText {

  private final TranscriptionService stt;
  private final ModelAdapterConfig.Stt settings;

  public SpeechToTextService(TranscriptionService stt, ModelAdapterConfig config) {
    this.stt = stt;
    this.settings = config.stt();
  }

  @Override
  public Uni<TranscribeResponse> transcribeFile(TranscribeFileRequest request) {
    return Uni.createFrom()
        .deferred(
            () -> {
              UtteranceBuffer buffer =
                  new UtteranceBuffer(Integer.MAX_VALUE / 96_000, settings.maxFileBytes());
              configure(buffer, request.getConfig());
              buffer.add(request.getAudio().toByteArray());
              List<AudioInput> whole = buffer.finish();
              if (whole.isEmpty()) {
                throw ModelFailure.of(
                    ModelFailure.Kind.INVALID_REQUEST, "gateway", "the request carries no audio");
              }
              return stt.transcribe(whole.get(0));
            })
        .map(SpeechToTextService::toProto)
        .onFailure()
        .transform(GrpcErrors::toStatus);
  }

  @Override
  public Multi<TranscribeResponse> transcribe(Multi<TranscribeRequest> requests) {
    return Multi.createFrom()
        .deferred(
            () -> {
              UtteranceBuffer buffer =
                  new UtteranceBuffer(settings.maxUtteranceSeconds(), settings.maxFileBytes());
              return requests
                  .onItem()
                  .transformToIterable(request -> accept(buffer, request))
                  .onCompletion()
                  .continueWith(buffer::finish)
                  .onItem()
                  .transformToUniAndConcatenate(stt::transcribe)
                  .map(SpeechToTextService::toProto);
            })
        .onFailure()
        .transform(GrpcErrors::toStatus);
  }

  private static List<AudioInput> accept(UtteranceBuffer buffer, TranscribeRequest request) {
    return switch (request.getRequestCase()) {
      case CONFIG -> {
        configure(buffer, request.getConfig());
        yield List.of();
      }
      case AUDIO -> buffer.add(request.getAudio().toByteArray());
      case REQUEST_NOT_SET -> List.of();
    };
  }

  private static void configure(UtteranceBuffer buffer, TranscriptionConfig config) {
    buffer.configure(
        encoding(config.getEncoding()), config.getSampleRateHz(), config.getLanguageHint());
  }

  private static AudioInput.Encoding encoding(AudioEncoding encoding) {
    return switch (encoding) {
      case AUDIO_ENCODING_PCM16LE -> AudioInput.Encoding.PCM16LE;
      case AUDIO_ENCODING_MULAW -> AudioInput.Encoding.MULAW;
      case AUDIO_ENCODING_ALAW -> AudioInput.Encoding.ALAW;
      case AUDIO_ENCODING_OGG_OPUS -> AudioInput.Encoding.OGG_OPUS;
      case AUDIO_ENCODING_WAV -> AudioInput.Encoding.WAV;
      case AUDIO_ENCODING_MP3 -> AudioInput.Encoding.MP3;
      case AUDIO_ENCODING_UNSPECIFIED, UNRECOGNIZED ->
          throw ModelFailure.of(
              ModelFailure.Kind.INVALID_REQUEST, "gateway", "config.encoding must be set");
    };
  }

  private static TranscribeResponse toProto(Transcript transcript) {
    return TranscribeResponse.newBuilder()
        .setText(transcript.text())
        .setFinal(true)
        .setLanguage(transcript.language())
        .setConfidence(transcript.confidence())
        .build();
  }
}
