package dev.switchboard.core.standin;

import dev.switchboard.contracts.model.ChatModelGrpc;
import dev.switchboard.contracts.model.Completion;
import dev.switchboard.contracts.model.ContentPart;
import dev.switchboard.contracts.model.GenerateRequest;
import dev.switchboard.contracts.model.GenerateResponse;
import dev.switchboard.contracts.model.Role;
import dev.switchboard.contracts.model.Usage;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STAND-IN for model-adapter at its wire boundary: a real gRPC server on a free loopback port that
 * implements {@code ChatModel.Generate} from contracts/model.proto. It answers deterministically so
 * tests can assert exact replies:
 *
 * <ul>
 *   <li>the answer is {@code "Echo: " + <last user message>}, streamed one word per delta, then a
 *       {@code Completion} with model {@value #MODEL};
 *   <li>{@code [delay=N]} in the last user message waits N ms before the first delta;
 *   <li>{@code [unavailable]} fails the call with gRPC status UNAVAILABLE;
 *   <li>{@code [flaky]} fails only the first call for that exact text with UNAVAILABLE;
 *   <li>{@code [stall]} streams the words before the marker and then neither ends nor fails.
 * </ul>
 *
 * It records every request and how many streams were cancelled by the caller.
 */
public final class ModelAdapterStandIn implements AutoCloseable {
  public static final String MODEL = "stand-in-model";
  private static final Pattern DELAY = Pattern.compile("\\[delay=(\\d+)]");

  private final Server server;
  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
  private final List<GenerateRequest> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger cancelled = new AtomicInteger();
  private final java.util.Set<String> flaky = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private ModelAdapterStandIn() throws Exception {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new ChatModelService())
            .build()
            .start();
  }

  public static ModelAdapterStandIn start() throws Exception {
    return new ModelAdapterStandIn();
  }

  public int port() {
    return server.getPort();
  }

  /** Every request received so far, oldest first. */
  public List<GenerateRequest> requests() {
    return List.copyOf(requests);
  }

  /** Requests whose last user message contains {@code marker}. */
  public List<GenerateRequest> requestsMentioning(String marker) {
    List<GenerateRequest> matching = new ArrayList<>();
    for (GenerateRequest request : requests) {
      if (lastUserText(request).contains(marker)) {
        matching.add(request);
      }
    }
    return matching;
  }

  /** Streams the caller cancelled (interruption, hang-up, deadline). */
  public int cancelledStreams() {
    return cancelled.get();
  }

  /** The answer this stand-in gives to {@code userText}. */
  public static String answerTo(String userText) {
    return "Echo: " + userText;
  }

  public static String lastUserText(GenerateRequest request) {
    for (int i = request.getMessagesCount() - 1; i >= 0; i--) {
      if (request.getMessages(i).getRole() == Role.ROLE_USER) {
        StringBuilder text = new StringBuilder();
        for (ContentPart part : request.getMessages(i).getContentList()) {
          text.append(part.getText());
        }
        return text.toString();
      }
    }
    return "";
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    timer.shutdownNow();
  }

  private final class ChatModelService extends ChatModelGrpc.ChatModelImplBase {
    @Override
    public void generate(GenerateRequest request, StreamObserver<GenerateResponse> out) {
      requests.add(request);
      ServerCallStreamObserver<GenerateResponse> stream =
          (ServerCallStreamObserver<GenerateResponse>) out;
      stream.setOnCancelHandler(cancelled::incrementAndGet);
      String userText = lastUserText(request);
      if (userText.contains("[flaky]") && flaky.add(userText)) {
        out.onError(Status.UNAVAILABLE.withDescription("stand-in fails once").asException());
        return;
      }
      if (userText.contains("[unavailable]")) {
        out.onError(Status.UNAVAILABLE.withDescription("stand-in says unavailable").asException());
        return;
      }
      Matcher delay = DELAY.matcher(userText);
      long delayMs = delay.find() ? Long.parseLong(delay.group(1)) : 0;
      timer.schedule(() -> answer(request, userText, stream), delayMs, TimeUnit.MILLISECONDS);
    }

    private void answer(
        GenerateRequest request, String userText, ServerCallStreamObserver<GenerateResponse> out) {
      if (out.isCancelled()) {
        return;
      }
      String answer = answerTo(userText);
      int stall = answer.indexOf("[stall]");
      String[] words = (stall < 0 ? answer : answer.substring(0, stall)).split("(?<= )");
      for (String word : words) {
        out.onNext(GenerateResponse.newBuilder().setDelta(word).build());
      }
      if (stall >= 0) {
        return;
      }
      out.onNext(
          GenerateResponse.newBuilder()
              .setCompletion(
                  Completion.newBuilder()
                      .setFinishReason("stop")
                      .setModel(MODEL)
                      .setBackend("stand-in")
                      .setUsage(
                          Usage.newBuilder()
                              .setInputTokens(request.getMessagesCount())
                              .setOutputTokens(words.length)))
              .build());
      out.onCompleted();
    }
  }
}
