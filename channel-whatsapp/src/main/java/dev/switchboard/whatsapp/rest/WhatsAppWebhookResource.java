package dev.switchboard.whatsapp.rest;

import dev.switchboard.whatsapp.config.WhatsAppConfig;
import dev.switchboard.whatsapp.webhook.IntakeOutcome;
import dev.switchboard.whatsapp.webhook.WebhookIntake;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/** Meta's webhook endpoint: the verification handshake and message notifications. */
@Path("/webhooks/whatsapp")
public class WhatsAppWebhookResource {
  private final WebhookIntake intake;
  private final byte[] verifyToken;

  public WhatsAppWebhookResource(WebhookIntake intake, WhatsAppConfig config) {
    this.intake = intake;
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

  /**
   * Takes the raw body bytes (the signature covers exactly those) and answers 200 only once every
   * event is on Kafka.
   */
  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.TEXT_PLAIN)
  public Uni<RestResponse<String>> receive(
      @RestHeader("X-Hub-Signature-256") String signature, byte[] body) {
    return Uni.createFrom()
        .completionStage(() -> intake.accept(signature, body == null ? new byte[0] : body))
        .map(WhatsAppWebhookResource::toResponse);
  }

  private static RestResponse<String> toResponse(IntakeOutcome outcome) {
    if (outcome instanceof IntakeOutcome.Accepted) {
      return RestResponse.ok("EVENT_RECEIVED");
    } else if (outcome instanceof IntakeOutcome.Unauthorized unauthorized) {
      return RestResponse.status(RestResponse.Status.UNAUTHORIZED, unauthorized.reason());
    } else if (outcome instanceof IntakeOutcome.BadRequest bad) {
      return RestResponse.status(RestResponse.Status.BAD_REQUEST, bad.reason());
    } else if (outcome instanceof IntakeOutcome.Unavailable unavailable) {
      return RestResponse.status(RestResponse.Status.SERVICE_UNAVAILABLE, unavailable.reason());
    }
    throw new IllegalStateException("Unknown outcome " + outcome);
  }
}
