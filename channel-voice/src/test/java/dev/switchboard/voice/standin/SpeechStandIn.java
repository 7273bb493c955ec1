package dev.switchboard.voice.standin;

import com.google.protobuf.ByteString;
import dev.switchboard.contracts.model.AudioChunk;
import dev.switchboard.contracts.model.SpeechToTextGrpc;
import dev.switchboard.contracts.model.SynthesizeRequest;
import dev.switchboard.contracts.model.TextToSpeechGrpc;
import dev.switchboard.contracts.model.TranscribeRequest;
import dev.switchboard.contracts.model.TranscribeResponse;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * STAND-IN for model-adapter at its gRPC wire boundary (contracts/model.proto), for speech only:
 *
 * <ul>
 *   <li>{@code TextToSpeech.Synthesize}: a 440 Hz tone of {@value #MILLIS_PER_WORD} ms per word of
 *       the text, at the requested rate (8 kHz by default), streamed in two chunks; so the test
 *       knows exactly how much audio each utterance must produce.
 *   <li>{@code SpeechToText.Transcribe}: after the config, counts the PCM16 audio; when the client
 *       ends the utterance and at least {@value #MIN_AUDIO_MILLIS} ms of audio arrived, answers one
 *       partial and then the final {@link #TRANSCRIPT} (language {@code en}).
 * </ul>
 *
 * It also records the W3C {@code traceparent} metadata each call arrived with, as model-adapter's
 * tracing would read it.
 */
public final class SpeechStandIn implements AutoCloseable {
  public static final int MILLIS_PER_WORD = 200;
  public static final int MIN_AUDIO_MILLIS = 500;
  public static final String TRANSCRIPT = "What is the Flintstone house on highway two eighty?";

  private final Server server;
  private final List<SynthesizeRequest> syntheses = new CopyOnWriteArrayList<>();
  private final AtomicLong audioBytesHeard = new AtomicLong();
  private final AtomicLong finalsSent = new AtomicLong();
  private final List<String> synthesisTraceparents = new CopyOnWriteArrayList<>();
  private static final Metadata.Key<String> TRACEPARENT =
      Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

  public SpeechStandIn() throws Exception {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                ServerInterceptors.intercept(
                    new Tts(),
                    new io.grpc.ServerInterceptor() {
                      @Override
                      public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(
                          io.grpc.ServerCall<Q, R> call,
                          Metadata headers,
                          io.grpc.ServerCallHandler<Q, R> next) {
                        String traceparent = headers.get(TRACEPARENT);
                        synthesisTraceparents.add(traceparent == null ? "" : traceparent);
                        return next.startCall(call, headers);
                      }
                    }))
            .addService(new Stt())
            .build()
            .start();
  }

  public int port() {
    return server.getPort();
  }

  public List<SynthesizeRequest> syntheses() {
    return List.copyOf(syntheses);
  }

  /** The {@code traceparent} of every Synthesize call, in order ("" when there was none). */
  public List<String> synthesisTraceparents() {
    return List.copyOf(synthesisTraceparents);
  }

  public long audioBytesHeard() {
    return audioBytesHeard.get();
  }

  public long finalsSent() {
    return finalsSent.get();
  }

  /** Milliseconds of tone this stand-in synthesizes for {@code text}. */
  public static int toneMillis(String text) {
    return text.trim().split("\\s+").length * MILLIS_PER_WORD;
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private final class Tts extends TextToSpeechGrpc.TextToSpeechImplBase {
    @Override
    public void synthesize(SynthesizeRequest request, StreamObserver<AudioChunk> out) {
      syntheses.add(request);
      int rate = request.getSampleRateHz() > 0 ? request.getSampleRateHz() : 8000;
      int samples = toneMillis(request.getText()) * rate / 1000;
      short[] tone = new short[samples];
      for (int i = 0; i < samples; i++) {
        tone[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / rate));
      }
      int half = samples / 2;
      out.onNext(chunk(tone, 0, half, rate));
      out.onNext(chunk(tone, half, samples, rate));
      out.onCompleted();
    }

    private AudioChunk chunk(short[] tone, int from, int to, int rate) {
      ByteBuffer bytes = ByteBuffer.allocate((to - from) * 2).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = from; i < to; i++) {
        bytes.putShort(tone[i]);
      }
      return AudioChunk.newBuilder()
          .setPcm16Le(ByteString.copyFrom(bytes.array()))
          .setSampleRateHz(rate)
          .build();
    }
  }

  private final class Stt extends SpeechToTextGrpc.SpeechToTextImplBase {
    @Override
    public StreamObserver<TranscribeRequest> transcribe(StreamObserver<TranscribeResponse> out) {
      return new StreamObserver<>() {
        int sampleRate;
        long bytes;

        @Override
        public void onNext(TranscribeRequest request) {
          if (request.hasConfig()) {
            sampleRate = request.getConfig().getSampleRateHz();
          } else {
            bytes += request.getAudio().size();
            audioBytesHeard.addAndGet(request.getAudio().size());
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          long millis = sampleRate == 0 ? 0 : bytes / 2 * 1000 / sampleRate;
          if (millis >= MIN_AUDIO_MILLIS) {
            out.onNext(TranscribeResponse.newBuilder().setText("What is").setFinal(false).build());
            out.onNext(
                TranscribeResponse.newBuilder()
                    .setText(TRANSCRIPT)
                    .setFinal(true)
                    .setLanguage("en")
                    .build());
            finalsSent.incrementAndGet();
          }
          out.onCompleted();
        }
      };
    }
  }
}
