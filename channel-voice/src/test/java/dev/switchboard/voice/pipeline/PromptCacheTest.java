package dev.switchboard.voice.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.voice.testsupport.TestAudio;
import org.junit.jupiter.api.Test;

class PromptCacheTest {

  @Test
  void aCachedPromptPlaysFromTheNextTickAtItsFullLengthAndSurvivesBargeInWhenNotInterruptible() {
    PromptCache cache = new PromptCache();
    cache.put("greeting", TestAudio.tone(300, 8000, 22_050, 22_050 * 2), 22_050); // 2 s
    PlayoutQueue playout = new PlayoutQueue(160);

    assertTrue(cache.play("greeting", playout, "greeting#1", false));
    assertEquals(2000, cache.millis("greeting").orElseThrow(), 25);
    playout.interrupt();

    int frames = 0;
    while (playout.nextFrame().isPresent()) {
      frames++;
    }
    assertEquals(100, frames, 2.0, "2 s of greeting in 20 ms frames, none dropped");
    assertFalse(cache.play("goodbye", playout, "goodbye#1", true), "not cached: synthesize it");
  }
}
