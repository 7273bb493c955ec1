package dev.switchboard.voice.dtmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DtmfInfoBodyTest {

  @Test
  void dtmfRelayBodiesGiveTheDigitAndDuration() {
    assertEquals(
        Optional.of(new DtmfDigit('5', -1, 160, true)),
        DtmfInfoBody.parse("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n"));
    assertEquals(
        '#',
        DtmfInfoBody.parse("Application/DTMF-Relay; charset=x", "signal= #\nduration=250")
            .orElseThrow()
            .digit());
    assertEquals(
        '*',
        DtmfInfoBody.parse("application/dtmf-relay", "Signal=10\r\nDuration=100")
            .orElseThrow()
            .digit());
    assertEquals('7', DtmfInfoBody.parse("application/dtmf", "7\r\n").orElseThrow().digit());
  }

  @Test
  void unsupportedTypesAndBadBodiesAreEmptyNotExceptions() {
    assertFalse(DtmfInfoBody.supports("application/sdp"));
    assertTrue(DtmfInfoBody.parse("application/sdp", "Signal=5").isEmpty());
    assertTrue(DtmfInfoBody.parse("application/dtmf-relay", "Duration=160").isEmpty());
    assertTrue(DtmfInfoBody.parse("application/dtmf-relay", "Signal=X").isEmpty());
    assertTrue(DtmfInfoBody.parse("application/dtmf-relay", "Signal=-1").isEmpty());
    assertTrue(DtmfInfoBody.parse("application/dtmf-relay", "Signal=16").isEmpty());
    assertTrue(DtmfInfoBody.parse("application/dtmf-relay", "Signal=5\nDuration=abc").isEmpty());
    assertTrue(
        DtmfInfoBody.parse("application/dtmf-relay", "Signal=5\n" + "x".repeat(300)).isEmpty());
    assertTrue(DtmfInfoBody.parse(null, null).isEmpty());
  }
}
