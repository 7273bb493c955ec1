package dev.switchboard.modeladapter.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.contracts.model.CategoryScore;
import dev.switchboard.contracts.model.ClassifyRequest;
import dev.switchboard.contracts.model.ClassifyResponse;
import dev.switchboard.contracts.model.Moderation;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Moderation.Classify over gRPC with the default (local) backend. */
@QuarkusTest
class ModerationGrpcTest {

  @GrpcClient("model")
  Moderation moderation;

  private ClassifyResponse classify(String text) {
    return moderation
        .classify(ClassifyRequest.newBuilder().setText(text).setLanguage("en").build())
        .await()
        .atMost(Duration.ofSeconds(60));
  }

  @Test
  void threatIsFlaggedWithScores() {
    ClassifyResponse response = classify("I'm going to kill you when I find you");

    assertTrue(response.getFlagged());
    assertEquals("local", response.getBackend());
    CategoryScore threatening =
        response.getScoresList().stream()
            .filter(score -> score.getCategory().equals("harassment/threatening"))
            .findFirst()
            .orElseThrow();
    assertTrue(threatening.getFlagged());
    assertTrue(threatening.getScore() >= 0.5f);
    assertEquals(13, response.getScoresCount(), "every OpenAI moderation category is scored");
  }

  @Test
  void everydayIdiomPasses() {
    assertFalse(classify("How do I kill the process that hangs my laptop?").getFlagged());
  }
}
