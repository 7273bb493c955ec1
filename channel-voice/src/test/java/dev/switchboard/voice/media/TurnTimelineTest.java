package dev.switchboard.voice.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TurnTimelineTest {

  private static final long MS = 1_000_000L;

  @Test
  void stageDurationsAndTheLogLineUseTheFirstMarkOfEachStage() {
    TurnTimeline turn = new TurnTimeline();
    turn.mark(TurnStage.END_OF_SPEECH, 1_000 * MS);
    turn.mark(TurnStage.FINAL_TRANSCRIPT, 1_180 * MS);
    turn.mark(TurnStage.FIRST_REPLY_CHUNK, 1_600 * MS);
    turn.mark(TurnStage.FIRST_TTS_AUDIO, 1_650 * MS);
    turn.mark(TurnStage.FIRST_TTS_AUDIO, 1_900 * MS); // a later chunk's audio: ignored
    assertFalse(turn.complete());
    turn.mark(TurnStage.FIRST_RTP_PACKET, 1_662 * MS);

    assertTrue(turn.complete());
    assertEquals(
        Map.of(
            TurnStage.FINAL_TRANSCRIPT, 180L,
            TurnStage.FIRST_REPLY_CHUNK, 420L,
            TurnStage.FIRST_TTS_AUDIO, 50L,
            TurnStage.FIRST_RTP_PACKET, 12L),
        turn.stageMillis());
    assertEquals(
        "voice turn subject=sub-123 turn=call:abc:turn:1 transcript_ms=180 first_chunk_ms=420"
            + " first_audio_ms=50 first_packet_ms=12 total_ms=662",
        turn.logLine("sub-123", "call:abc:turn:1"));
  }

  @Test
  void missingStagesShowAsDashes() {
    TurnTimeline turn = new TurnTimeline();
    turn.mark(TurnStage.END_OF_SPEECH, 0);
    turn.mark(TurnStage.FINAL_TRANSCRIPT, 200 * MS);
    assertEquals(
        "voice turn subject=s turn=t transcript_ms=200 first_chunk_ms=- first_audio_ms=-"
            + " first_packet_ms=- total_ms=-",
        turn.logLine("s", "t"));
  }
}
