package dev.switchboard.voice.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Reusable test harness: send frames into a processor (or a whole {@link Pipeline}) and assert the
 * frames that come out, in order.
 */
public final class ProcessorHarness {

  private final FrameProcessor processor;
  private final List<Frame> output = new ArrayList<>();

  private ProcessorHarness(FrameProcessor processor) {
    this.processor = processor;
  }

  public static ProcessorHarness of(FrameProcessor processor) {
    return new ProcessorHarness(processor);
  }

  /** Sends frames in order; output accumulates. */
  public ProcessorHarness send(Frame... frames) {
    for (Frame frame : frames) {
      processor.process(frame, output::add);
    }
    return this;
  }

  /** Everything that came out so far. */
  public List<Frame> output() {
    return List.copyOf(output);
  }

  /** Output frames of one type, in order. */
  public <T extends Frame> List<T> outputOf(Class<T> type) {
    return output.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Output without audio frames: the decisions, easy to compare with a list. */
  public List<Frame> controlOutput() {
    return output.stream().filter(ControlFrame.class::isInstance).toList();
  }

  /** Forgets collected output. */
  public ProcessorHarness clear() {
    output.clear();
    return this;
  }
}
