package dev.switchboard.modeladapter.openai;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Stand-in for an OpenAI-compatible provider at its HTTP boundary (WireMock on a free port), and
 * points the gateway's openai backend at it.
 */
public class OpenAiStandIn implements QuarkusTestResourceLifecycleManager {

  private static volatile WireMockServer server;

  /** The running stand-in, for stubbing and verifying from tests. */
  public static WireMockServer server() {
    return server;
  }

  @Override
  public Map<String, String> start() {
    server = new WireMockServer(wireMockConfig().dynamicPort());
    server.start();
    return Map.of(
        "switchboard.model.openai.base-url",
        server.baseUrl() + "/v1",
        "switchboard.model.openai.api-key",
        "sk-stand-in");
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop();
    }
  }
}
