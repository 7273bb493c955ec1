/**
 * PCM sample-rate conversion with a windowed-sinc FIR ({@link
 * dev.switchboard.voice.audio.Resampler}).
 */
package dev.switchboard.voice.audio;
