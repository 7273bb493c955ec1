package dev.switchboard.systemtests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * Meta's Graph API at its HTTP boundary: {@code POST /{version}/{phone-number-id}/messages} answers
 * with the documented success body, echoing the recipient and giving a fresh wamid.
 */
final class GraphApiStandIn {
  private GraphApiStandIn() {}

  static WireMockServer start() {
    WireMockServer server =
        new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(32));
    server.start();
    server.stubFor(
        post(urlPathMatching("/v[0-9.]+/[0-9]+/messages"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":"
                            + "\"{{jsonPath request.body '$.to'}}\",\"wa_id\":"
                            + "\"{{jsonPath request.body '$.to'}}\"}],\"messages\":[{\"id\":"
                            + "\"wamid.{{randomValue length=24 type='ALPHANUMERIC'}}\"}]}")
                    .withTransformers("response-template")));
    return server;
  }
}
