package dev.switchboard.voice.pipeline;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A queue with the pipeline's scheduling rule: control frames are taken before any data frame and
 * are never dropped; an {@link InterruptionFrame} drops every queued interruptible data frame at
 * the moment it is offered. Not thread-safe; {@link QueuedProcessor} guards it.
 */
public final class FrameQueue {

  private final ArrayDeque<ControlFrame> control = new ArrayDeque<>();
  private final ArrayDeque<DataFrame> data = new ArrayDeque<>();
  private long droppedByInterruption;

  /** Adds a frame; returns how many data frames it cancelled. */
  public int offer(Frame frame) {
    if (frame instanceof ControlFrame controlFrame) {
      control.addLast(controlFrame);
      return controlFrame instanceof InterruptionFrame ? dropInterruptibleData() : 0;
    }
    data.addLast((DataFrame) frame);
    return 0;
  }

  /** The next frame to process: the oldest control frame, else the oldest data frame. */
  public Frame poll() {
    ControlFrame next = control.pollFirst();
    return next != null ? next : data.pollFirst();
  }

  public boolean isEmpty() {
    return control.isEmpty() && data.isEmpty();
  }

  public int size() {
    return control.size() + data.size();
  }

  /** Data frames cancelled by interruptions so far. */
  public long droppedByInterruption() {
    return droppedByInterruption;
  }

  private int dropInterruptibleData() {
    int dropped = 0;
    for (Iterator<DataFrame> it = data.iterator(); it.hasNext(); ) {
      if (it.next().interruptible()) {
        it.remove();
        dropped++;
      }
    }
    droppedByInterruption += dropped;
    return dropped;
  }
}
