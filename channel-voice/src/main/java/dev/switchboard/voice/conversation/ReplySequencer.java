package dev.switchboard.voice.conversation;

import dev.switchboard.voice.pipeline.PlayoutQueue;
import dev.switchboard.voice.pipeline.TtsAudioFrame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a call's speech in order while syntheses run in parallel: every chunk's TTS starts at once,
 * but its audio reaches the playout queue only after the chunk before it has been queued completely
 * (the head streams straight through; later ones are held). Barge-in cancels every interruptible
 * job still waiting or streaming. Thread-safe.
 */
final class ReplySequencer {

  /** One utterance to speak. */
  final class Job {
    final String utteranceId;
    final boolean interruptible;
    final List<TtsAudioFrame> held = new ArrayList<>();
    boolean done;
    boolean cancelled;

    private Job(String utteranceId, boolean interruptible) {
      this.utteranceId = utteranceId;
      this.interruptible = interruptible;
    }

    void audio(short[] samples, int sampleRate) {
      synchronized (ReplySequencer.this) {
        if (!cancelled) {
          held.add(new TtsAudioFrame(samples, sampleRate, utteranceId, interruptible));
          drain();
        }
      }
    }

    void complete() {
      synchronized (ReplySequencer.this) {
        done = true;
        drain();
      }
    }
  }

  private final PlayoutQueue playout;
  private final ArrayDeque<Job> jobs = new ArrayDeque<>();

  ReplySequencer(PlayoutQueue playout) {
    this.playout = playout;
  }

  synchronized Job add(String utteranceId, boolean interruptible) {
    Job job = new Job(utteranceId, interruptible);
    jobs.addLast(job);
    return job;
  }

  /** Cancels all interruptible speech not yet played (the playout queue drops what it holds). */
  synchronized void interrupt() {
    jobs.removeIf(
        job -> {
          if (job.interruptible) {
            job.cancelled = true;
            return true;
          }
          return false;
        });
    drain();
  }

  /** Whether speech is still being synthesized or waiting to be queued. */
  synchronized boolean pending() {
    return !jobs.isEmpty();
  }

  private void drain() {
    while (!jobs.isEmpty()) {
      Job head = jobs.peekFirst();
      for (TtsAudioFrame frame : head.held) {
        playout.enqueue(frame);
      }
      head.held.clear();
      if (!head.done) {
        return;
      }
      playout.flushUtterance();
      jobs.pollFirst();
    }
  }
}
