package dev.switchboard.modeladapter.stt;

import io.smallrye.mutiny.Uni;

/** Transcribes one recording (a voice note, or one buffered utterance of a call). */
public interface SttBackend {

  String name();

  Uni<Transcript> transcribe(AudioInput audio);
}
