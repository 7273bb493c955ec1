package dev.switchboard.modeladapter.stt;

import dev.switchboard.modeladapter.audio.G711;
import dev.switchboard.modeladapter.audio.Wav;
import java.util.Optional;

/** Turns an {@link AudioInput} into something a backend can read. */
public final class AudioFiles {

  private AudioFiles() {}

  /** A file to upload: name (its extension tells the provider the format), MIME type, bytes. */
  public record UploadFile(String fileName, String mimeType, byte[] bytes) {}

  public static UploadFile forUpload(AudioInput audio) {
    return switch (audio.encoding()) {
      case OGG_OPUS -> new UploadFile("audio.ogg", "audio/ogg", audio.bytes());
      case WAV -> new UploadFile("audio.wav", "audio/wav", audio.bytes());
      case MP3 -> new UploadFile("audio.mp3", "audio/mpeg", audio.bytes());
      case PCM16LE, MULAW, ALAW ->
          new UploadFile(
              "audio.wav",
              "audio/wav",
              Wav.pcm16Mono(pcm16(audio).orElseThrow(), audio.sampleRateHz()));
    };
  }

  /** Linear PCM16 for headerless encodings and plain PCM WAV files; empty otherwise. */
  public static Optional<byte[]> pcm16(AudioInput audio) {
    return switch (audio.encoding()) {
      case PCM16LE -> Optional.of(audio.bytes());
      case MULAW -> Optional.of(G711.toPcm16le(audio.bytes(), true));
      case ALAW -> Optional.of(G711.toPcm16le(audio.bytes(), false));
      case WAV -> Wav.readPcm16Mono(audio.bytes()).map(Wav.Pcm16::pcm16le);
      case OGG_OPUS, MP3 -> Optional.empty();
    };
  }

  /** The sample rate of {@link #pcm16}'s output. */
  public static int pcm16Rate(AudioInput audio) {
    if (audio.encoding() == AudioInput.Encoding.WAV) {
      return Wav.readPcm16Mono(audio.bytes()).map(Wav.Pcm16::sampleRate).orElse(0);
    }
    return audio.sampleRateHz();
  }
}
