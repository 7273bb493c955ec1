package dev.switchboard.voice.pipeline;

/**
 * Everything that flows through a call's media pipeline. Frames differ by how they are scheduled:
 * {@link ControlFrame}s jump any queue and are never cancelled; {@link DataFrame}s keep their order
 * and are dropped when an interruption overtakes them.
 */
public sealed interface Frame permits ControlFrame, DataFrame {}
