package dev.switchboard.modeladapter.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.switchboard.contracts.model.AudioEncoding;
import dev.switchboard.contracts.model.SpeechToText;
import dev.switchboard.contracts.model.TranscribeFileRequest;
import dev.switchboard.contracts.model.TranscriptionConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Local (Vosk) speech-to-text without a downloaded model: a clear, actionable error. */
@QuarkusTest
class LocalSpeechToTextGrpcTest {

  @GrpcClient("model")
  SpeechToText stt;

  @Test
  void missingVoskModelIsAFailedPreconditionNamingTheDirectory() {
    StatusRuntimeException error =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                stt.transcribeFile(
                        TranscribeFileRequest.newBuilder()
                            .setConfig(
                                TranscriptionConfig.newBuilder()
                                    .setEncoding(AudioEncoding.AUDIO_ENCODING_PCM16LE)
                                    .setSampleRateHz(16_000))
                            .setAudio(ByteString.copyFrom(new byte[3200]))
                            .build())
                    .await()
                    .atMost(Duration.ofSeconds(60)));

    assertEquals(Status.Code.FAILED_PRECONDITION, error.getStatus().getCode());
    String message = error.getStatus().getDescription();
    assertTrue(message.contains("models/vosk-model-small-en-us-0.15"), message);
    assertTrue(message.contains("https://alphacephei.com/vosk/models"), message);
    assertEquals("not_configured", error.getTrailers().get(GrpcErrors.ERROR_KIND));
  }
}
