package dev.switchboard.safety.client;

import dev.switchboard.contracts.model.CategoryScore;
import dev.switchboard.contracts.model.ClassifyRequest;
import dev.switchboard.contracts.model.ClassifyResponse;
import dev.switchboard.contracts.model.ModerationGrpc;
import dev.switchboard.safety.classification.Classification;
import dev.switchboard.safety.classification.ClassificationUnavailableException;
import dev.switchboard.safety.config.SafetyConfig;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Calls model-adapter's {@code Moderation.Classify} and maps the answer to domain scores. */
@ApplicationScoped
public class ModerationClient {
  private final ModerationGrpc.ModerationBlockingStub stub;
  private final SafetyConfig config;

  public ModerationClient(
      @GrpcClient("model") ModerationGrpc.ModerationBlockingStub stub, SafetyConfig config) {
    this.stub = stub;
    this.config = config;
  }

  public Classification classify(String text, String language) {
    ClassifyResponse response;
    try {
      response =
          stub.withDeadlineAfter(
                  config.classification().deadline().toMillis(), TimeUnit.MILLISECONDS)
              .classify(
                  ClassifyRequest.newBuilder()
                      .setText(text == null ? "" : text)
                      .setLanguage(language == null ? "" : language)
                      .build());
    } catch (StatusRuntimeException e) {
      throw new ClassificationUnavailableException(
          "Moderation.Classify failed: " + e.getStatus().getCode(), e);
    }
    Map<String, Double> scores = new HashMap<>();
    for (CategoryScore s : response.getScoresList()) {
      scores.merge(s.getCategory(), (double) s.getScore(), Math::max);
    }
    return new Classification(scores, response.getBackend());
  }
}
