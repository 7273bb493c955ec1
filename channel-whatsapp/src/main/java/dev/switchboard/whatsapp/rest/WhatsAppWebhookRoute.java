package dev.switchboard.whatsapp.rest;

import dev.switchboard.whatsapp.webhook.IntakeOutcome;
import dev.switchboard.whatsapp.webhook.WebhookIntake;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Meta's message notifications ({@code POST /webhooks/whatsapp}) as a plain Vert.x route: the body
 * is read as raw bytes (the signature covers exactly those) and the answer is 200 only once every
 * event is on Kafka. A route rather than a JAX-RS method because this is the service's hottest path
 * and the JAX-RS machinery around one small request cost about as much as the webhook's own work;
 * the verification handshake (GET) stays in {@link WhatsAppWebhookResource}.
 */
@ApplicationScoped
public class WhatsAppWebhookRoute {
  private static final Logger LOG = Logger.getLogger(WhatsAppWebhookRoute.class);
  private static final byte[] EMPTY = new byte[0];

  private final WebhookIntake intake;
  private final long maxBodyBytes;

  public WhatsAppWebhookRoute(
      WebhookIntake intake,
      @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "3M")
          MemorySize maxBodySize) {
    this.intake = intake;
    this.maxBodyBytes = maxBodySize.asLongValue();
  }

  void register(@Observes Router router) {
    router
        .post(WhatsAppWebhookResource.PATH)
        // Larger bodies are answered 413 before they are read.
        .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .handler(this::receive);
  }

  private void receive(RoutingContext request) {
    Buffer body = request.body().buffer();
    String signature = request.request().getHeader("X-Hub-Signature-256");
    try {
      intake
          .accept(signature, body == null ? EMPTY : body.getBytes())
          .whenComplete(
              (outcome, error) -> {
                if (error != null) {
                  fail(request, error);
                } else {
                  answer(request.response(), outcome);
                }
              });
    } catch (RuntimeException e) {
      fail(request, e);
    }
  }

  private static void answer(HttpServerResponse response, IntakeOutcome outcome) {
    if (outcome instanceof IntakeOutcome.Accepted) {
      end(response, 200, "EVENT_RECEIVED");
    } else if (outcome instanceof IntakeOutcome.Unauthorized unauthorized) {
      end(response, 401, unauthorized.reason());
    } else if (outcome instanceof IntakeOutcome.BadRequest bad) {
      end(response, 400, bad.reason());
    } else if (outcome instanceof IntakeOutcome.Unavailable unavailable) {
      end(response, 503, unavailable.reason());
    } else {
      end(response, 500, "unknown outcome");
    }
  }

  /**
   * Anything unexpected is a 500, so Meta redelivers; never a 200 for a webhook we did not keep.
   */
  private static void fail(RoutingContext request, Throwable error) {
    LOG.errorf(error, "Webhook failed unexpectedly");
    end(request.response(), 500, "internal error");
  }

  private static void end(HttpServerResponse response, int status, String text) {
    if (!response.ended()) {
      response
          .setStatusCode(status)
          .putHeader("Content-Type", "text/plain;charset=UTF-8")
          .end(text);
    }
  }
}
