package dev.switchboard.safety.client;

import dev.switchboard.contracts.model.CategoryScore;
import dev.switchboard.contracts.model.ClassifyRequest;
import dev.switchboard.contracts.model.ClassifyResponse;
import dev.switchboard.contracts.model.ModerationGrpc;
import dev.switchboard.contracts.model.MutinyModerationGrpc;
import dev.switchboard.safety.classification.Classification;
import dev.switchboard.safety.classification.ClassificationUnavailableException;
import dev.switchboard.safety.config.SafetyConfig;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Calls model-adapter's {@code Moderation.Classify} and maps the answer to domain scores. */
@ApplicationScoped
public class ModerationClient {
  private final ModerationGrpc.ModerationBlockingStub stub;
  private final MutinyModerationGrpc.MutinyModerationStub asyncStub;
  private final SafetyConfig config;

  public ModerationClient(
      @GrpcClient("model") ModerationGrpc.ModerationBlockingStub stub,
      @GrpcClient("model") MutinyModerationGrpc.MutinyModerationStub asyncStub,
      SafetyConfig config) {
    this.stub = stub;
    this.asyncStub = asyncStub;
    this.config = config;
  }

  /**
   * Classifies many texts concurrently over one channel. The result has one entry per text, null
   * where the gateway failed or missed its deadline (the caller retries those later).
   */
  public List<Classification> classifyAll(List<String> texts, List<String> languages) {
    long deadline = config.classification().deadline().toMillis();
    List<Uni<Classification>> calls = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      ClassifyRequest request =
          ClassifyRequest.newBuilder()
              .setText(texts.get(i) == null ? "" : texts.get(i))
              .setLanguage(languages.get(i) == null ? "" : languages.get(i))
              .build();
      calls.add(
          asyncStub
              .withDeadlineAfter(deadline, TimeUnit.MILLISECONDS)
              .classify(request)
              .map(ModerationClient::toDomain)
              .onFailure()
              .recoverWithNull());
    }
    if (calls.isEmpty()) {
      return List.of();
    }
    return Uni.join()
        .all(calls)
        .andCollectFailures()
        .await()
        .atMost(Duration.ofMillis(deadline * 2));
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
    return toDomain(response);
  }

  private static Classification toDomain(ClassifyResponse response) {
    Map<String, Double> scores = new HashMap<>();
    for (CategoryScore s : response.getScoresList()) {
      scores.merge(s.getCategory(), (double) s.getScore(), Math::max);
    }
    return new Classification(scores, response.getBackend());
  }
}
