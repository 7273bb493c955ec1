package dev.switchboard.voice.pipeline;

import java.util.List;

/** Processors chained in order; frames pushed into the pipeline run through them synchronously. */
public final class Pipeline implements FrameProcessor {

  private final List<FrameProcessor> processors;

  private Pipeline(List<FrameProcessor> processors) {
    this.processors = List.copyOf(processors);
  }

  public static Pipeline of(FrameProcessor... processors) {
    return new Pipeline(List.of(processors));
  }

  @Override
  public void process(Frame frame, FrameSink downstream) {
    stage(0, downstream).push(frame);
  }

  private FrameSink stage(int index, FrameSink end) {
    if (index == processors.size()) {
      return end;
    }
    FrameProcessor processor = processors.get(index);
    return frame -> processor.process(frame, stage(index + 1, end));
  }
}
