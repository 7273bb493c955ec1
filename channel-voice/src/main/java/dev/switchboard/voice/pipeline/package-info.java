/**
 * Pipecat-style media pipeline: typed {@link dev.switchboard.voice.pipeline.Frame}s (control frames
 * overtake and are never cancelled; data frames are ordered and dropped by interruptions), small
 * {@link dev.switchboard.voice.pipeline.FrameProcessor}s chained in a {@link
 * dev.switchboard.voice.pipeline.Pipeline}, the {@link dev.switchboard.voice.pipeline.PlayoutQueue}
 * the sender draws from, and the {@link dev.switchboard.voice.pipeline.SpeechRecognizer} seam to
 * streaming speech-to-text.
 */
package dev.switchboard.voice.pipeline;
