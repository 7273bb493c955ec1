package dev.switchboard.modeladapter.grpc;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.switchboard.contracts.model.AudioEncoding;
import dev.switchboard.contracts.model.SpeechToText;
import dev.switchboard.contracts.model.TranscribeFileRequest;
import dev.switchboard.contracts.model.TranscribeRequest;
import dev.switchboard.contracts.model.TranscribeResponse;
import dev.switchboard.contracts.model.TranscriptionConfig;
import dev.switchboard.modeladapter.openai.OpenAiStandIn;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Speech-to-text over gRPC with the openai backend against WireMock transcription JSON. */
@QuarkusTest
@TestProfile(OpenAiChatGrpcTest.Profile.class)
@WithTestResource(OpenAiStandIn.class)
class SpeechToTextGrpcTest {

  private static final String PATH = "/v1/audio/transcriptions";
  private static final String VERBOSE_JSON =
      """
      {"task":"transcribe","language":"spanish","duration":1.0,
       "text":" ¿A qué hora abren mañana? ",
       "segments":[{"id":0,"seek":0,"start":0.0,"end":1.0,"text":" ¿A qué hora abren mañana?",
         "tokens":[50364],"temperature":0.0,"avg_logprob":-0.2,"compression_ratio":0.9,
         "no_speech_prob":0.01}]}
      """;

  @GrpcClient("model")
  SpeechToText stt;

  @AfterEach
  void reset() {
    OpenAiStandIn.server().resetAll();
  }

  private static void stubTranscription(String body) {
    OpenAiStandIn.server()
        .stubFor(
            post(urlEqualTo(PATH))
                .willReturn(
                    aResponse().withHeader("Content-Type", "application/json").withBody(body)));
  }

  @Test
  void voiceNoteIsTranscribedWithItsLanguage() {
    stubTranscription(VERBOSE_JSON);
    byte[] oggVoiceNote = "OggS fake opus pages for the stand-in".getBytes();

    TranscribeResponse response =
        stt.transcribeFile(
                TranscribeFileRequest.newBuilder()
                    .setConfig(
                        TranscriptionConfig.newBuilder()
                            .setEncoding(AudioEncoding.AUDIO_ENCODING_OGG_OPUS))
                    .setAudio(ByteString.copyFrom(oggVoiceNote))
                    .build())
            .await()
            .atMost(Duration.ofSeconds(60));

    assertEquals("¿A qué hora abren mañana?", response.getText());
    assertEquals("es", response.getLanguage());
    assertTrue(response.getFinal());
    OpenAiStandIn.server()
        .verify(
            postRequestedFor(urlEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer sk-stand-in"))
                .withRequestBodyPart(
                    aMultipart().withName("model").withBody(equalTo("whisper-1")).build())
                .withRequestBodyPart(
                    aMultipart()
                        .withName("response_format")
                        .withBody(equalTo("verbose_json"))
                        .build())
                .withRequestBodyPart(
                    aMultipart()
                        .withName("file")
                        .withHeader("Content-Type", equalTo("audio/ogg"))
                        .build()));
  }

  @Test
  void streamedCallAudioIsCutIntoUtterancesAndUploadedAsWav() {
    stubTranscription("{\"text\":\"hello\",\"language\":\"english\"}");
    List<TranscribeRequest> requests = new ArrayList<>();
    requests.add(
        TranscribeRequest.newBuilder()
            .setConfig(
                TranscriptionConfig.newBuilder()
                    .setEncoding(AudioEncoding.AUDIO_ENCODING_MULAW)
                    .setSampleRateHz(8_000)
                    .setLanguageHint("en-US"))
            .build());
    for (int frame = 0; frame < 125; frame++) { // 2.5 s of 20 ms µ-law frames
      requests.add(
          TranscribeRequest.newBuilder().setAudio(ByteString.copyFrom(new byte[160])).build());
    }

    List<TranscribeResponse> responses =
        stt.transcribe(Multi.createFrom().iterable(requests))
            .collect()
            .asList()
            .await()
            .atMost(Duration.ofSeconds(60));

    // max-utterance-seconds=1 in this profile: 1 s + 1 s + 0.5 s.
    assertEquals(3, responses.size());
    assertTrue(responses.stream().allMatch(r -> r.getFinal() && r.getText().equals("hello")));
    assertEquals("en", responses.get(0).getLanguage());
    OpenAiStandIn.server()
        .verify(
            3,
            postRequestedFor(urlEqualTo(PATH))
                .withRequestBodyPart(
                    aMultipart().withName("language").withBody(equalTo("en")).build())
                .withRequestBodyPart(
                    aMultipart()
                        .withName("file")
                        .withHeader("Content-Type", equalTo("audio/wav"))
                        .build()));
  }

  @Test
  void audioBeforeConfigurationIsInvalidArgument() {
    StatusRuntimeException error =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                stt.transcribe(
                        Multi.createFrom()
                            .item(
                                TranscribeRequest.newBuilder()
                                    .setAudio(ByteString.copyFrom(new byte[10]))
                                    .build()))
                    .collect()
                    .asList()
                    .await()
                    .atMost(Duration.ofSeconds(60)));
    assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
  }

  @Test
  void quotaIsResourceExhausted() {
    OpenAiStandIn.server()
        .stubFor(
            post(urlEqualTo(PATH))
                .willReturn(
                    aResponse()
                        .withStatus(429)
                        .withHeader("retry-after-ms", "1500")
                        .withBody(
                            "{\"error\":{\"message\":\"Rate limit\",\"code\":\"rate_limit_exceeded\"}}")));

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
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, error.getStatus().getCode());
    assertEquals("1500", error.getTrailers().get(GrpcErrors.RETRY_AFTER_MS));
  }
}
