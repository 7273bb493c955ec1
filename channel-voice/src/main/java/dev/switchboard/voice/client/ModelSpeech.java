package dev.switchboard.voice.client;

import com.google.protobuf.ByteString;
import dev.switchboard.contracts.model.AudioChunk;
import dev.switchboard.contracts.model.AudioEncoding;
import dev.switchboard.contracts.model.SpeechToTextGrpc;
import dev.switchboard.contracts.model.SynthesizeRequest;
import dev.switchboard.contracts.model.TextToSpeechGrpc;
import dev.switchboard.contracts.model.TranscribeRequest;
import dev.switchboard.contracts.model.TranscribeResponse;
import dev.switchboard.contracts.model.TranscriptionConfig;
import dev.switchboard.voice.pipeline.SpeechRecognizer;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Speech through model-adapter's gRPC API (client {@code model}): {@code TextToSpeech.Synthesize}
 * streams PCM16 back, {@code SpeechToText.Transcribe} is a bidirectional stream (config first, then
 * PCM16 audio; partial and final transcripts back). Generated types stay in this class.
 */
@ApplicationScoped
public class ModelSpeech {

  private final TextToSpeechGrpc.TextToSpeechStub tts;
  private final SpeechToTextGrpc.SpeechToTextStub stt;

  public ModelSpeech(@GrpcClient("model") Channel channel) {
    this.tts = TextToSpeechGrpc.newStub(channel);
    this.stt = SpeechToTextGrpc.newStub(channel);
  }

  /** Starts synthesizing {@code text}; audio streams to the listener. Non-blocking. */
  public void synthesize(String text, String language, int sampleRate, SynthesisListener listener) {
    SynthesizeRequest request =
        SynthesizeRequest.newBuilder()
            .setText(text)
            .setLanguage(language == null ? "" : language)
            .setSampleRateHz(sampleRate)
            .build();
    tts.synthesize(
        request,
        new StreamObserver<>() {
          @Override
          public void onNext(AudioChunk chunk) {
            int rate = chunk.getSampleRateHz() > 0 ? chunk.getSampleRateHz() : sampleRate;
            listener.onAudio(toSamples(chunk.getPcm16Le()), rate);
          }

          @Override
          public void onError(Throwable t) {
            listener.onError(
                t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
          }

          @Override
          public void onCompleted() {
            listener.onComplete();
          }
        });
  }

  /** A recognizer for one call: each utterance is one {@code Transcribe} stream. */
  public SpeechRecognizer recognizer(
      int sampleRate, String languageHint, TranscriptListener listener) {
    return new SpeechRecognizer() {
      @Override
      public int sampleRate() {
        return sampleRate;
      }

      @Override
      public RecognitionStream open() {
        return openStream(sampleRate, languageHint, listener);
      }
    };
  }

  private SpeechRecognizer.RecognitionStream openStream(
      int sampleRate, String languageHint, TranscriptListener listener) {
    AtomicBoolean cancelled = new AtomicBoolean();
    AtomicBoolean finalSeen = new AtomicBoolean();
    StreamObserver<TranscribeRequest> requests =
        stt.transcribe(
            new StreamObserver<>() {
              @Override
              public void onNext(TranscribeResponse response) {
                if (cancelled.get()) {
                  return;
                }
                if (response.getFinal()) {
                  if (finalSeen.compareAndSet(false, true)) {
                    listener.onFinal(response.getText(), response.getLanguage());
                  }
                } else {
                  listener.onPartial(response.getText());
                }
              }

              @Override
              public void onError(Throwable t) {
                if (!cancelled.get()) {
                  listener.onError(t.getMessage() == null ? "stt failed" : t.getMessage());
                }
              }

              @Override
              public void onCompleted() {}
            });
    requests.onNext(
        TranscribeRequest.newBuilder()
            .setConfig(
                TranscriptionConfig.newBuilder()
                    .setEncoding(AudioEncoding.AUDIO_ENCODING_PCM16LE)
                    .setSampleRateHz(sampleRate)
                    .setLanguageHint(languageHint == null ? "" : languageHint)
                    .setPartialResults(true))
            .build());
    return new SpeechRecognizer.RecognitionStream() {
      @Override
      public void send(short[] samples) {
        synchronized (requests) {
          if (!cancelled.get()) {
            requests.onNext(TranscribeRequest.newBuilder().setAudio(toBytes(samples)).build());
          }
        }
      }

      @Override
      public void finish() {
        synchronized (requests) {
          requests.onCompleted();
        }
      }

      @Override
      public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
          synchronized (requests) {
            ((ClientCallStreamObserver<TranscribeRequest>) requests)
                .cancel("utterance discarded", null);
          }
        }
      }
    };
  }

  static short[] toSamples(ByteString pcm16le) {
    ByteBuffer buffer = pcm16le.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    short[] samples = new short[buffer.remaining() / 2];
    buffer.asShortBuffer().get(samples);
    return samples;
  }

  static ByteString toBytes(short[] samples) {
    ByteBuffer buffer = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asShortBuffer().put(samples);
    return ByteString.copyFrom(buffer.array());
  }
}
