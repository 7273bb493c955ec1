package dev.switchboard.modeladapter.chat;

import dev.switchboard.modeladapter.error.ModelFailure;
import dev.switchboard.modeladapter.error.ModelFailure.Kind;
import dev.switchboard.modeladapter.metrics.ModelMetrics;
import io.smallrye.mutiny.Multi;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Tries the primary backend and, when it fails before anything reached the caller, answers with the
 * fallback (normally a scripted apology). Caller mistakes (unknown model, invalid request) are not
 * hidden behind an apology; they stay errors. A failure after text was streamed stays an error too,
 * since the caller already holds part of an answer.
 */
public final class FallbackChatBackend implements ChatBackend {

  private static final Logger LOG = Logger.getLogger(FallbackChatBackend.class);
  private static final Set<Kind> FALL_BACK_ON =
      EnumSet.of(
          Kind.KEY_REJECTED,
          Kind.QUOTA,
          Kind.TIMEOUT,
          Kind.PROVIDER_FAILURE,
          Kind.BUSY,
          Kind.CIRCUIT_OPEN);

  private final ChatBackend primary;
  private final ChatBackend fallback;
  private final ModelMetrics metrics;

  public FallbackChatBackend(ChatBackend primary, ChatBackend fallback, ModelMetrics metrics) {
    this.primary = primary;
    this.fallback = fallback;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return primary.name();
  }

  @Override
  public Multi<ChatEvent> generate(ChatRequest request) {
    return Multi.createFrom()
        .deferred(
            () -> {
              AtomicBoolean emitted = new AtomicBoolean(false);
              return primary
                  .generate(request)
                  .onItem()
                  .invoke(() -> emitted.set(true))
                  .onFailure(failure -> !emitted.get() && fallsBack(failure))
                  .recoverWithMulti(
                      failure -> {
                        ModelFailure model = (ModelFailure) failure;
                        LOG.warnf(
                            "chat backend %s failed (%s: %s) for conversation %s; answering with %s",
                            primary.name(),
                            model.kind(),
                            model.getMessage(),
                            request.conversationId(),
                            fallback.name());
                        metrics.fallback("chat", primary.name(), fallback.name());
                        return fallback.generate(request);
                      });
            });
  }

  private static boolean fallsBack(Throwable failure) {
    return failure instanceof ModelFailure model && FALL_BACK_ON.contains(model.kind());
  }
}
