package dev.switchboard.voice.pipeline;

/** Frames that act at once: they overtake queued data frames and are never cancelled. */
public sealed interface ControlFrame extends Frame
    permits UserStartedSpeakingFrame,
        UserStoppedSpeakingFrame,
        SpeechDiscardedFrame,
        InterruptionFrame,
        EndFrame,
        DtmfFrame {}
