package dev.switchboard.voice.conversation;

import dev.switchboard.voice.pipeline.PlayoutQueue.UtteranceProgress;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The words of a reply the caller actually heard before speaking over it, for an honest transcript
 * and history: every chunk whose audio was played in full, then the chunk being played cut at a
 * word boundary.
 *
 * <p>Approximation, documented in the contract: the share of the playing chunk's characters heard
 * is taken to be the share of its audio frames sent, i.e. speech rate is treated as even across a
 * sentence (TTS pauses at commas and speaks long words longer), and a word counts as heard only
 * when the audio position has passed its end. When the chunk's synthesis had not finished at the
 * interruption, its length is what had been synthesized so far, which overstates what was heard.
 */
final class HeardText {

  /** A reply chunk as played: its utterance id (the chunk's event id) and text. */
  record SpokenChunk(String utteranceId, String text) {}

  private HeardText() {}

  /**
   * @param chunks the reply's chunks in the order they were queued for playback
   * @param progress how much of an utterance was queued and played
   */
  static String of(
      List<SpokenChunk> chunks, Function<String, Optional<UtteranceProgress>> progress) {
    StringBuilder heard = new StringBuilder();
    for (SpokenChunk chunk : chunks) {
      Optional<UtteranceProgress> p = progress.apply(chunk.utteranceId());
      if (p.isEmpty() || p.get().playedFrames() == 0) {
        break;
      }
      UtteranceProgress played = p.get();
      boolean whole = played.complete() && played.playedFrames() >= played.queuedFrames();
      String words =
          whole
              ? chunk.text().strip()
              : cut(chunk.text(), (double) played.playedFrames() / played.queuedFrames());
      if (!words.isEmpty()) {
        if (heard.length() > 0) {
          heard.append(' ');
        }
        heard.append(words);
      }
      if (!whole) {
        break; // the caller spoke over this chunk; nothing after it was heard
      }
    }
    return heard.toString();
  }

  /**
   * The words of {@code text} whose end lies within the first {@code fraction} of its characters.
   */
  static String cut(String text, double fraction) {
    String t = text.strip();
    if (fraction >= 1) {
      return t;
    }
    double position = Math.max(0, fraction) * t.length();
    int end = 0;
    int i = 0;
    while (i < t.length()) {
      while (i < t.length() && Character.isWhitespace(t.charAt(i))) {
        i++;
      }
      int wordEnd = i;
      while (wordEnd < t.length() && !Character.isWhitespace(t.charAt(wordEnd))) {
        wordEnd++;
      }
      if (wordEnd == i || wordEnd > position) {
        break;
      }
      end = wordEnd;
      i = wordEnd;
    }
    return t.substring(0, end);
  }
}
