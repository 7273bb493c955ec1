package dev.switchboard.voice.pipeline;

/** Where a processor pushes the frames it produces. */
@FunctionalInterface
public interface FrameSink {

  void push(Frame frame);
}
