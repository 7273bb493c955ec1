package dev.switchboard.voice.transport;

import dev.switchboard.voice.testsupport.RecordingSpanExporter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The in-memory span exporter of the tracing tests (unused while tracing is off). */
public class TracingBeans {
  @Produces
  @Singleton
  RecordingSpanExporter recordingSpanExporter() {
    return new RecordingSpanExporter();
  }
}
