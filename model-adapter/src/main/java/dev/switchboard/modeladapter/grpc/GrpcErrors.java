package dev.switchboard.modeladapter.grpc;

import dev.switchboard.modeladapter.error.ModelFailure;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Maps backend failures to distinct gRPC statuses. Besides the status code, every error carries
 * trailer {@code switchboard-error-kind} (e.g. {@code key_rejected}) and, for quota errors, {@code
 * retry-after-ms}, so callers can tell cases apart that share a code.
 */
public final class GrpcErrors {

  public static final Metadata.Key<String> ERROR_KIND =
      Metadata.Key.of("switchboard-error-kind", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> RETRY_AFTER_MS =
      Metadata.Key.of("retry-after-ms", Metadata.ASCII_STRING_MARSHALLER);

  private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

  private GrpcErrors() {}

  public static Throwable toStatus(Throwable failure) {
    if (failure instanceof StatusRuntimeException) {
      return failure;
    }
    if (!(failure instanceof ModelFailure model)) {
      LOG.error("unexpected failure in the model gateway", failure);
      return Status.INTERNAL
          .withDescription("internal error in the model gateway")
          .asRuntimeException();
    }
    Status status =
        switch (model.kind()) {
          case UNKNOWN_MODEL -> Status.NOT_FOUND;
          case KEY_REJECTED -> Status.UNAUTHENTICATED;
          case QUOTA, BUSY -> Status.RESOURCE_EXHAUSTED;
          case TIMEOUT -> Status.DEADLINE_EXCEEDED;
          case PROVIDER_FAILURE, CIRCUIT_OPEN -> Status.UNAVAILABLE;
          case INVALID_REQUEST -> Status.INVALID_ARGUMENT;
          case NOT_CONFIGURED -> Status.FAILED_PRECONDITION;
        };
    Metadata trailers = new Metadata();
    trailers.put(ERROR_KIND, model.kind().name().toLowerCase(Locale.ROOT));
    model
        .retryAfter()
        .ifPresent(wait -> trailers.put(RETRY_AFTER_MS, Long.toString(wait.toMillis())));
    String description = model.backend() + ": " + model.getMessage();
    return status.withDescription(description).asRuntimeException(trailers);
  }
}
