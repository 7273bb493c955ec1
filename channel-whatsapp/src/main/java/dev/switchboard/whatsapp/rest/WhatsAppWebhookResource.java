package dev.switchboard.whatsapp.rest;

import dev.switchboard.whatsapp.config.WhatsAppConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Meta's webhook verification handshake. The notifications themselves (POST on the same path) are
 * served by {@link WhatsAppWebhookRoute}.
 */
@Path(WhatsAppWebhookResource.PATH)
public class WhatsAppWebhookResource {
  static final String PATH = "/webhooks/whatsapp";

  private final byte[] verifyToken;

  public WhatsAppWebhookResource(WhatsAppConfig config) {
    this.verifyToken = config.verifyToken().getBytes(StandardCharsets.UTF_8);
  }

  /** Answers the challenge when Meta presents our verify token; 403 otherwise. */
  @GET
  @Produces(MediaType.TEXT_PLAIN)
  public RestResponse<String> verify(
      @RestQuery("hub.mode") String mode,
      @RestQuery("hub.verify_token") String token,
      @RestQuery("hub.challenge") String challenge) {
    boolean tokenMatches =
        token != null && MessageDigest.isEqual(verifyToken, token.getBytes(StandardCharsets.UTF_8));
    if ("subscribe".equals(mode) && tokenMatches && challenge != null) {
      return RestResponse.ok(challenge);
    }
    return RestResponse.status(RestResponse.Status.FORBIDDEN, "verification failed");
  }
}
