package dev.switchboard.modeladapter.grpc;

import dev.switchboard.contracts.model.CategoryScore;
import dev.switchboard.contracts.model.ClassifyRequest;
import dev.switchboard.contracts.model.ClassifyResponse;
import dev.switchboard.contracts.model.Moderation;
import dev.switchboard.modeladapter.moderation.ModerationBackend;
import dev.switchboard.modeladapter.moderation.ModerationResult;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/** The gRPC face of moderation. */
@GrpcService
public class ModerationService implements Moderation {

  private final ModerationBackend moderation;

  public ModerationService(ModerationBackend moderation) {
    this.moderation = moderation;
  }

  @Override
  public Uni<ClassifyResponse> classify(ClassifyRequest request) {
    return moderation
        .classify(request.getText())
        .map(ModerationService::toProto)
        .onFailure()
        .transform(GrpcErrors::toStatus);
  }

  private static ClassifyResponse toProto(ModerationResult result) {
    ClassifyResponse.Builder response =
        ClassifyResponse.newBuilder().setFlagged(result.flagged()).setBackend(result.backend());
    for (ModerationResult.CategoryScore score : result.scores()) {
      response.addScores(
          CategoryScore.newBuilder()
              .setCategory(score.category())
              .setScore((float) score.score())
              .setFlagged(score.flagged()));
    }
    return response.build();
  }
}
