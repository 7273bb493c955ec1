package dev.switchboard.whatsapp.client;

import com.google.protobuf.ByteString;
import dev.switchboard.contracts.model.AudioEncoding;
import dev.switchboard.contracts.model.SpeechToTextGrpc;
import dev.switchboard.contracts.model.TranscribeFileRequest;
import dev.switchboard.contracts.model.TranscribeResponse;
import dev.switchboard.contracts.model.TranscriptionConfig;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Transcribes a whole recording through model-adapter's {@code SpeechToText.TranscribeFile}. */
@ApplicationScoped
public class TranscriptionClient {
  private static final long DEADLINE_SECONDS = 60;

  private final SpeechToTextGrpc.SpeechToTextBlockingStub speechToText;

  public TranscriptionClient(@GrpcClient("model") SpeechToTextGrpc.SpeechToTextBlockingStub stub) {
    this.speechToText = stub;
  }

  /** The transcript and its detected language (may be empty). Throws on gRPC failure. */
  public Transcript transcribe(byte[] audio, String mimeType) {
    TranscribeResponse response =
        speechToText
            .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
            .transcribeFile(
                TranscribeFileRequest.newBuilder()
                    .setConfig(TranscriptionConfig.newBuilder().setEncoding(encodingOf(mimeType)))
                    .setAudio(ByteString.copyFrom(audio))
                    .build());
    return new Transcript(response.getText(), response.getLanguage());
  }

  /** What the person said. */
  public record Transcript(String text, String language) {}

  static AudioEncoding encodingOf(String mimeType) {
    String mime = mimeType == null ? "" : mimeType.toLowerCase(Locale.ROOT);
    if (mime.startsWith("audio/ogg") || mime.contains("opus")) {
      return AudioEncoding.AUDIO_ENCODING_OGG_OPUS;
    } else if (mime.startsWith("audio/mpeg") || mime.startsWith("audio/mp3")) {
      return AudioEncoding.AUDIO_ENCODING_MP3;
    } else if (mime.startsWith("audio/wav") || mime.startsWith("audio/x-wav")) {
      return AudioEncoding.AUDIO_ENCODING_WAV;
    }
    return AudioEncoding.AUDIO_ENCODING_UNSPECIFIED;
  }
}
