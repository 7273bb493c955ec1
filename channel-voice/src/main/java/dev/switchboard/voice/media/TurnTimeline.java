package dev.switchboard.voice.media;

import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Timestamps of one turn's stages, for the per-stage latency histograms and the one log line per
 * turn. The first mark of a stage wins, so repeated callbacks (every TTS chunk, every packet) can
 * call {@link #mark} freely. Thread-safe.
 */
public final class TurnTimeline {

  private final Map<TurnStage, Long> marks = new EnumMap<>(TurnStage.class);

  /** Records when {@code stage} happened (monotonic nanos); later marks of it are ignored. */
  public synchronized void mark(TurnStage stage, long nanos) {
    marks.putIfAbsent(stage, nanos);
  }

  /** Milliseconds from {@code from} to {@code to}, if both happened. */
  public synchronized OptionalLong millisBetween(TurnStage from, TurnStage to) {
    Long start = marks.get(from);
    Long end = marks.get(to);
    if (start == null || end == null) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Math.round((end - start) / 1e6));
  }

  /** Milliseconds spent reaching each stage from the previous one (absent stages are skipped). */
  public synchronized Map<TurnStage, Long> stageMillis() {
    Map<TurnStage, Long> stages = new EnumMap<>(TurnStage.class);
    TurnStage[] all = TurnStage.values();
    for (int i = 1; i < all.length; i++) {
      final TurnStage stage = all[i];
      millisBetween(all[i - 1], stage).ifPresent(ms -> stages.put(stage, ms));
    }
    return stages;
  }

  /** Whether every stage has been marked. */
  public synchronized boolean complete() {
    return marks.size() == TurnStage.values().length;
  }

  /**
   * One log line for the turn, keyed by the caller's subject id (never the phone number): stage
   * durations in ms, {@code -} for stages that did not happen.
   */
  public synchronized String logLine(String subjectId, String turnId) {
    return "voice turn subject="
        + subjectId
        + " turn="
        + turnId
        + " transcript_ms="
        + format(TurnStage.END_OF_SPEECH, TurnStage.FINAL_TRANSCRIPT)
        + " first_chunk_ms="
        + format(TurnStage.FINAL_TRANSCRIPT, TurnStage.FIRST_REPLY_CHUNK)
        + " first_audio_ms="
        + format(TurnStage.FIRST_REPLY_CHUNK, TurnStage.FIRST_TTS_AUDIO)
        + " first_packet_ms="
        + format(TurnStage.FIRST_TTS_AUDIO, TurnStage.FIRST_RTP_PACKET)
        + " total_ms="
        + format(TurnStage.END_OF_SPEECH, TurnStage.FIRST_RTP_PACKET);
  }

  private String format(TurnStage from, TurnStage to) {
    OptionalLong ms = millisBetween(from, to);
    return ms.isPresent() ? Long.toString(ms.getAsLong()) : "-";
  }
}
