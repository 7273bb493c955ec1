package dev.switchboard.systemtests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;

/**
 * Stands in for an OpenAI-compatible speech-to-text provider at its HTTP boundary: {@code POST
 * /v1/audio/transcriptions} answers the documented {@code verbose_json} transcription object. The
 * n-th request gets the n-th transcript (the last one repeats), so each utterance of the call is
 * "recognized" as the fixture the caller spoke.
 */
final class SpeechToTextStandIn implements AutoCloseable {
  static final String PATH = "/v1/audio/transcriptions";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WireMockServer server;

  private SpeechToTextStandIn(WireMockServer server) {
    this.server = server;
  }

  static SpeechToTextStandIn start(List<String> transcripts) {
    WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    for (int i = 0; i < transcripts.size(); i++) {
      boolean last = i == transcripts.size() - 1;
      server.stubFor(
          post(urlPathEqualTo(PATH))
              .inScenario("utterances")
              .whenScenarioStateIs(state(i))
              .willReturn(
                  aResponse()
                      .withStatus(200)
                      .withHeader("Content-Type", "application/json")
                      .withBody(verboseJson(transcripts.get(i))))
              .willSetStateTo(state(last ? i : i + 1)));
    }
    return new SpeechToTextStandIn(server);
  }

  /** The scenario state in which the n-th transcription is answered. */
  private static String state(int n) {
    return n == 0 ? Scenario.STARTED : "heard-" + n;
  }

  /** The base URL with the API version path, as {@code switchboard.model.openai.base-url}. */
  String baseUrl() {
    return server.baseUrl() + "/v1";
  }

  List<LoggedRequest> transcriptionRequests() {
    return server.findAll(postRequestedFor(urlPathEqualTo(PATH)));
  }

  /** The response format Whisper-compatible servers give for {@code verbose_json}. */
  static String verboseJson(String text) {
    ObjectNode body = JSON.createObjectNode();
    body.put("task", "transcribe");
    body.put("language", "english");
    body.put("duration", 4.2);
    body.put("text", text);
    body.putArray("segments");
    return body.toString();
  }

  @Override
  public void close() {
    server.stop();
  }
}
