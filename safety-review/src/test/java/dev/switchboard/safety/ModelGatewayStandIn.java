package dev.switchboard.safety;

import dev.switchboard.contracts.model.CategoryScore;
import dev.switchboard.contracts.model.ClassifyRequest;
import dev.switchboard.contracts.model.ClassifyResponse;
import dev.switchboard.contracts.model.ModerationGrpc;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STAND-IN for model-adapter at its gRPC wire boundary: a small real gRPC server implementing
 * {@code Moderation.Classify} from contracts/model.proto with fixed phrase rules, like the
 * gateway's local rules backend. Phrases:
 *
 * <ul>
 *   <li>"hurt you" → harassment/threatening 0.92, violence 0.81
 *   <li>"hate you" → harassment 0.75
 *   <li>"child abuse material" → sexual/minors 0.97 (a severe category)
 *   <li>"outage-once:TOKEN" → UNAVAILABLE on the first call for TOKEN, then normal
 * </ul>
 */
public class ModelGatewayStandIn implements QuarkusTestResourceLifecycleManager {
  static final List<String> CATEGORIES =
      List.of(
          "harassment",
          "harassment/threatening",
          "hate",
          "hate/threatening",
          "illicit",
          "illicit/violent",
          "self-harm",
          "self-harm/intent",
          "self-harm/instructions",
          "sexual",
          "sexual/minors",
          "violence",
          "violence/graphic");

  private static final Pattern OUTAGE_ONCE = Pattern.compile("outage-once:(\\S+)");
  private static final Set<String> FAILED_ONCE = ConcurrentHashMap.newKeySet();

  private Server server;

  @Override
  public Map<String, String> start() {
    try {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(new RulesModeration())
              .build()
              .start();
    } catch (Exception e) {
      throw new IllegalStateException("Moderation stand-in did not start", e);
    }
    String port = Integer.toString(server.getPort());
    // In test mode Quarkus dials a client's test-port, not its port.
    return Map.of(
        "quarkus.grpc.clients.model.host", "127.0.0.1",
        "quarkus.grpc.clients.model.port", port,
        "quarkus.grpc.clients.model.test-port", port);
  }

  @Override
  public void stop() {
    if (server != null) {
      server.shutdownNow();
    }
  }

  /** The stand-in's scoring, also used by the ingest benchmark. */
  public static ClassifyResponse score(String text) {
    Map<String, Float> scores = new LinkedHashMap<>();
    for (String c : CATEGORIES) {
      scores.put(c, 0.01f);
    }
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("hurt you")) {
      scores.put("harassment/threatening", 0.92f);
      scores.put("violence", 0.81f);
    }
    if (lower.contains("hate you")) {
      scores.put("harassment", 0.75f);
    }
    if (lower.contains("child abuse material")) {
      scores.put("sexual/minors", 0.97f);
    }
    ClassifyResponse.Builder response = ClassifyResponse.newBuilder().setBackend("stand-in-rules");
    boolean any = false;
    for (Map.Entry<String, Float> e : scores.entrySet()) {
      boolean flagged = e.getValue() >= 0.5f;
      any |= flagged;
      response.addScores(
          CategoryScore.newBuilder()
              .setCategory(e.getKey())
              .setScore(e.getValue())
              .setFlagged(flagged));
    }
    return response.setFlagged(any).build();
  }

  static final class RulesModeration extends ModerationGrpc.ModerationImplBase {
    @Override
    public void classify(ClassifyRequest request, StreamObserver<ClassifyResponse> observer) {
      Matcher outage = OUTAGE_ONCE.matcher(request.getText());
      if (outage.find() && FAILED_ONCE.add(outage.group(1))) {
        observer.onError(
            Status.UNAVAILABLE.withDescription("stand-in outage").asRuntimeException());
        return;
      }
      observer.onNext(score(request.getText()));
      observer.onCompleted();
    }
  }
}
