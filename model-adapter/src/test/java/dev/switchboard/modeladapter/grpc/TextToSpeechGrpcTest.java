package dev.switchboard.modeladapter.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.contracts.model.AudioChunk;
import dev.switchboard.contracts.model.SynthesizeRequest;
import dev.switchboard.contracts.model.TextToSpeech;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TextToSpeech.Synthesize over gRPC with the local FreeTTS engine. */
@QuarkusTest
class TextToSpeechGrpcTest {

  @GrpcClient("model")
  TextToSpeech tts;

  @Test
  void sentenceIsSpokenAtTheRequestedTelephoneRate() {
    List<AudioChunk> chunks =
        tts.synthesize(
                SynthesizeRequest.newBuilder()
                    .setText("Your appointment is confirmed for Tuesday at ten.")
                    .setLanguage("en-US")
                    .setSampleRateHz(8_000)
                    .build())
            .collect()
            .asList()
            .await()
            .atMost(Duration.ofSeconds(60));

    assertTrue(chunks.stream().allMatch(chunk -> chunk.getSampleRateHz() == 8_000));
    long bytes = chunks.stream().mapToLong(chunk -> chunk.getPcm16Le().size()).sum();
    double seconds = bytes / 2.0 / 8_000;
    assertTrue(seconds > 1.5 && seconds < 8, "implausible duration " + seconds);
  }

  @Test
  void unsupportedRateIsInvalidArgument() {
    StatusRuntimeException error =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                tts.synthesize(
                        SynthesizeRequest.newBuilder().setText("hi").setSampleRateHz(100).build())
                    .collect()
                    .asList()
                    .await()
                    .atMost(Duration.ofSeconds(60)));
    assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
  }
}
