package dev.switchboard.whatsapp.support;

import dev.switchboard.contracts.model.SpeechToTextGrpc;
import dev.switchboard.contracts.model.TranscribeFileRequest;
import dev.switchboard.contracts.model.TranscribeResponse;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * A stand-in for model-adapter at its gRPC boundary: a small in-test server implementing {@code
 * SpeechToText.TranscribeFile}. It "recognises" exactly one recording ({@link #KNOWN_RECORDING})
 * and refuses anything else, so a test proves the downloaded bytes reached it.
 */
public class SpeechToTextStandIn implements QuarkusTestResourceLifecycleManager {
  public static final byte[] KNOWN_RECORDING =
      "OggS\0fake-opus-voice-note-for-tests".getBytes(StandardCharsets.ISO_8859_1);
  public static final String TRANSCRIPT = "What will the weather be tomorrow?";

  private static Server server;

  @Override
  public synchronized Map<String, String> start() {
    if (server == null) {
      try (ServerSocket socket = new ServerSocket(0)) {
        int port = socket.getLocalPort();
        socket.close();
        server = ServerBuilder.forPort(port).addService(new Recognizer()).build().start();
      } catch (IOException e) {
        throw new IllegalStateException("speech-to-text stand-in did not start", e);
      }
    }
    return Map.of(
        "quarkus.grpc.clients.model.host", "127.0.0.1",
        "quarkus.grpc.clients.model.port", String.valueOf(server.getPort()),
        // In test mode Quarkus reads the client's test-port instead of its port.
        "quarkus.grpc.clients.model.test-port", String.valueOf(server.getPort()));
  }

  @Override
  public void stop() {
    // Shared by every test class in the JVM.
  }

  private static final class Recognizer extends SpeechToTextGrpc.SpeechToTextImplBase {
    @Override
    public void transcribeFile(
        TranscribeFileRequest request, StreamObserver<TranscribeResponse> response) {
      if (Arrays.equals(request.getAudio().toByteArray(), KNOWN_RECORDING)) {
        response.onNext(
            TranscribeResponse.newBuilder()
                .setText(TRANSCRIPT)
                .setFinal(true)
                .setLanguage("en")
                .build());
        response.onCompleted();
      } else {
        response.onError(
            Status.INVALID_ARGUMENT.withDescription("unknown recording").asRuntimeException());
      }
    }
  }
}
