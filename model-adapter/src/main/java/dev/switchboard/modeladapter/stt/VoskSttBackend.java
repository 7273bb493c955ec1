package dev.switchboard.modeladapter.stt;

import dev.switchboard.modeladapter.error.ModelFailure;
import dev.switchboard.modeladapter.error.ModelFailure.Kind;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import org.vosk.Model;
import org.vosk.Recognizer;

/**
 * Offline speech-to-text with Vosk (Kaldi) from a model directory. The Vosk library ships in the
 * jar; the acoustic model does not, and no registry we use carries one, so the operator downloads
 * it once. Until then every request fails with a FAILED_PRECONDITION that says where to put it.
 */
public final class VoskSttBackend implements SttBackend {

  public static final String NAME = "vosk";

  private final Path modelDirectory;
  private final Executor workers;
  private Model model;

  public VoskSttBackend(Path modelDirectory, Executor workers) {
    this.modelDirectory = modelDirectory;
    this.workers = workers;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Why this backend cannot run, if it cannot; empty when the model directory looks usable. */
  public java.util.Optional<String> problem() {
    if (!Files.isDirectory(modelDirectory) || !Files.isDirectory(modelDirectory.resolve("am"))) {
      return java.util.Optional.of(
          "no Vosk model in "
              + modelDirectory.toAbsolutePath()
              + ": download one (e.g. vosk-model-small-en-us-0.15 from"
              + " https://alphacephei.com/vosk/models), unzip it so that this directory contains"
              + " am/, conf/ and graph/, or point switchboard.model.stt.vosk-model-dir at it");
    }
    return java.util.Optional.empty();
  }

  @Override
  public Uni<Transcript> transcribe(AudioInput audio) {
    var missing = problem();
    if (missing.isPresent()) {
      return Uni.createFrom().failure(ModelFailure.of(Kind.NOT_CONFIGURED, NAME, missing.get()));
    }
    var pcm = AudioFiles.pcm16(audio);
    if (pcm.isEmpty()) {
      return Uni.createFrom()
          .failure(
              ModelFailure.of(
                  Kind.INVALID_REQUEST,
                  NAME,
                  "local speech-to-text reads PCM16LE, MULAW, ALAW or PCM WAV, not "
                      + audio.encoding()));
    }
    int rate = AudioFiles.pcm16Rate(audio);
    return Uni.createFrom()
        .item(() -> recognise(pcm.get(), rate, audio.languageHint()))
        .runSubscriptionOn(workers);
  }

  private Transcript recognise(byte[] pcm16le, int sampleRate, String hint) {
    try (Recognizer recognizer = new Recognizer(model(), sampleRate)) {
      recognizer.acceptWaveForm(pcm16le, pcm16le.length);
      String text = new JsonObject(recognizer.getFinalResult()).getString("text", "");
      return new Transcript(text, hint, 0f); // Vosk models are single-language: echo the hint
    } catch (IOException e) {
      throw ModelFailure.of(Kind.PROVIDER_FAILURE, NAME, "Vosk failed: " + e.getMessage());
    }
  }

  private synchronized Model model() throws IOException {
    if (model == null) {
      model = new Model(modelDirectory.toString());
    }
    return model;
  }
}
