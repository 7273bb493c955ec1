package dev.switchboard.voice.jitter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class G711ReframerTest {

  private static byte[] packet(int length, int firstValue) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (firstValue + i);
    }
    return bytes;
  }

  @Test
  void thirtyMillisecondPacketsBecomeTwentyMillisecondFramesInOrder() {
    G711Reframer reframer = new G711Reframer(160, (byte) 0xFF);
    reframer.addPacket(packet(240, 0));
    reframer.addPacket(packet(240, 240));

    byte[] expected = packet(480, 0);
    for (int frame = 0; frame < 3; frame++) {
      G711Reframer.Chunk chunk = reframer.take();
      assertEquals(0, chunk.missingSamples());
      assertArrayEquals(
          java.util.Arrays.copyOfRange(expected, frame * 160, frame * 160 + 160), chunk.payload());
    }
    assertEquals(0, reframer.available());
    assertThrows(IllegalStateException.class, reframer::take);
  }

  @Test
  void aLostPacketIsCarriedAsCountedSilence() {
    G711Reframer reframer = new G711Reframer(160, (byte) 0xD5);
    reframer.addPacket(packet(240, 0));
    reframer.addMissing(240);

    assertEquals(0, reframer.take().missingSamples());
    G711Reframer.Chunk mixed = reframer.take();
    assertEquals(160, mixed.missingSamples() + 80, "80 real samples, 80 missing");
    assertEquals((byte) 0xD5, mixed.payload()[159]);
    assertEquals(160, reframer.take().missingSamples());
  }
}
