package dev.switchboard.whatsapp.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Stands in for Meta's Graph API at its HTTP boundary (WireMock). By default every send succeeds
 * with the documented response body and a fresh wamid; read receipts answer {"success":true}.
 */
public class GraphApiStandIn implements QuarkusTestResourceLifecycleManager {
  private static WireMockServer server;

  public static synchronized WireMockServer server() {
    if (server == null) {
      server = new WireMockServer(wireMockConfig().dynamicPort().globalTemplating(false));
      server.start();
      resetToDefaults();
    }
    return server;
  }

  /** Forgets recorded requests and custom stubs; every send succeeds again. */
  public static void resetToDefaults() {
    WireMockServer wm = server();
    wm.resetAll();
    wm.stubFor(
        post(urlPathMatching("/v23\\.0/[0-9]+/messages"))
            .atPriority(10)
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withTransformers("response-template")
                    .withBody(
                        "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"x\","
                            + "\"wa_id\":\"x\"}],\"messages\":[{\"id\":\"wamid.OUT-"
                            + "{{randomValue type='UUID'}}\"}]}")));
  }

  @Override
  public Map<String, String> start() {
    return Map.of("switchboard.whatsapp.graph-base-url", server().baseUrl());
  }

  @Override
  public void stop() {
    // Shared by every test class in the JVM.
  }
}
