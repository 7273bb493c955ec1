package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** The terminal shows a service's JSON log records as short lines a person can read. */
class ConsoleLineTest {
  /** A record as Quarkus's quarkus-logging-json writes it in a service's production profile. */
  private static final String RECORD =
      "{\"timestamp\":\"2026-11-26T05:31:35.961231061Z\","
          + "\"loggerName\":\"io.quarkus.grpc.runtime.GrpcServerRecorder\",\"level\":\"INFO\","
          + "\"message\":\"Started gRPC server on 0.0.0.0:19083 [TLS enabled: false]\","
          + "\"threadName\":\"vert.x-eventloop-thread-0\",\"threadId\":20,"
          + "\"mdc\":{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"},\"hostName\":\"vm\","
          + "\"processId\":13005,\"service\":\"model-adapter\"}";

  @Test
  void jsonRecordBecomesTimeLevelLoggerAndMessage() {
    assertEquals(
        localTime("2026-11-26T05:31:35.961231061Z")
            + " INFO  [i.q.g.r.GrpcServerRecorder] Started gRPC server on 0.0.0.0:19083 [TLS"
            + " enabled: false]",
        ConsoleLine.render(RECORD));
  }

  @Test
  void exceptionShowsItsTypeAndMessage() {
    String record =
        "{\"timestamp\":\"2026-11-26T05:31:35.961Z\",\"loggerName\":\"dev.switchboard.core.X\","
            + "\"level\":\"ERROR\",\"message\":\"Turn failed\",\"exception\":{\"refId\":1,"
            + "\"exceptionType\":\"java.lang.IllegalStateException\",\"message\":\"no lane\","
            + "\"frames\":[{\"class\":\"dev.switchboard.core.X\",\"method\":\"run\",\"line\":3}]}}";
    assertEquals(
        localTime("2026-11-26T05:31:35.961Z")
            + " ERROR [d.s.c.X] Turn failed | java.lang.IllegalStateException: no lane",
        ConsoleLine.render(record));
  }

  @Test
  void multiLineMessageKeepsItsLinesWithoutTrailingBlankOnes() {
    String record =
        "{\"timestamp\":\"x\",\"loggerName\":\"a.B\",\"level\":\"WARN\","
            + "\"message\":\"first line\\nsecond line\\n\"}";
    assertEquals("x WARN  [a.B] first line\nsecond line", ConsoleLine.render(record));
  }

  @Test
  void linesThatAreNotLogRecordsPassUnchanged() {
    for (String line :
        new String[] {
          "OpenJDK 64-Bit Server VM warning: Sharing is only supported for boot loader classes",
          "{not json",
          "{\"some\":\"object without a message\"}",
          ""
        }) {
      assertEquals(line, ConsoleLine.render(line));
    }
  }

  /** Times are shown in the machine's zone, like the launcher's own log. */
  private static String localTime(String timestamp) {
    return OffsetDateTime.parse(timestamp)
        .atZoneSameInstant(ZoneId.systemDefault())
        .format(DateTimeFormatter.ofPattern("HH:mm:ss.SSS"));
  }
}
