package dev.switchboard.voice.pipeline;

import java.util.concurrent.Executor;

/**
 * Runs a processor asynchronously behind a {@link FrameQueue}: {@link #process} only enqueues and
 * returns; the executor drains the queue one frame at a time, so a slow step (a network call) does
 * not block the media path, control frames overtake waiting data, and an interruption cancels the
 * data still waiting. At most one drain runs at a time, so the wrapped processor sees frames
 * serially.
 */
public final class QueuedProcessor implements FrameProcessor {

  private final FrameProcessor delegate;
  private final Executor executor;
  private final FrameQueue queue = new FrameQueue();
  private boolean draining;

  public QueuedProcessor(FrameProcessor delegate, Executor executor) {
    this.delegate = delegate;
    this.executor = executor;
  }

  @Override
  public void process(Frame frame, FrameSink downstream) {
    boolean startDrain;
    synchronized (queue) {
      queue.offer(frame);
      startDrain = !draining;
      draining = true;
    }
    if (startDrain) {
      executor.execute(() -> drain(downstream));
    }
  }

  /** Data frames cancelled by interruptions while waiting. */
  public long droppedByInterruption() {
    synchronized (queue) {
      return queue.droppedByInterruption();
    }
  }

  private void drain(FrameSink downstream) {
    while (true) {
      Frame next;
      synchronized (queue) {
        next = queue.poll();
        if (next == null) {
          draining = false;
          return;
        }
      }
      delegate.process(next, downstream);
    }
  }
}
