package dev.switchboard.voice.pipeline;

/** The call is over: processors release what they hold. */
public record EndFrame(String reason) implements ControlFrame {}
