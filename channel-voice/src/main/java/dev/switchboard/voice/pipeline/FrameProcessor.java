package dev.switchboard.voice.pipeline;

/**
 * One small step of the pipeline. A processor receives every frame, handles the kinds it knows and
 * pushes the rest on unchanged, so processors compose in any order. Calls for one processor are
 * serialised by the pipeline; implementations need no locking unless they share state with another
 * thread.
 */
public interface FrameProcessor {

  void process(Frame frame, FrameSink downstream);
}
