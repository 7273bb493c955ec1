package dev.switchboard.safety.redaction;

import dev.switchboard.safety.crypto.OriginalText;
import dev.switchboard.safety.crypto.TranscriptCipher;
import org.junit.jupiter.api.Test;

/** CPU cost of redaction + AES-GCM per turn, one thread. Run with -Dtest=RedactionCpuBenchmark. */
class RedactionCpuBenchmark {
  private static final String[] TEXTS = {
    "Hi, can you help me plan a trip to Lisbon next month?",
    "What's a good recipe for a quick vegetarian dinner?",
    "Please call me back at +1 415 555 0132 tomorrow morning.",
    "my email is jane.doe@example.com, send me the summary",
    "it's four one five, five five five, zero one three two",
    "I paid with 4111 1111 1111 1111 and it failed, order 4111111111111112",
    "Explain how photosynthesis works in simple words.",
    "I hate you",
    "Translate 'good morning' into Portuguese and Spanish.",
    "What time is it in Tokyo when it is noon in London?"
  };
  private static final String ANSWER = "Here is a helpful answer with a few sentences of text.";

  @Test
  void redactAndEncrypt() {
    Redactor redactor = new Redactor("US");
    TranscriptCipher cipher = new TranscriptCipher(new byte[32], "k1");
    int n = 100_000;
    for (int round = 0; round < 2; round++) {
      long start = System.nanoTime();
      long sink = 0;
      for (int i = 0; i < n; i++) {
        String text = TEXTS[i % TEXTS.length];
        sink += redactor.redact(text).count() + redactor.redact(ANSWER).count();
        sink += cipher.encrypt(new OriginalText(text, ANSWER).toBytes(), "e" + i).length;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "%s: %.0f turns/s per core (redact user+assistant, AES-GCM) [%d]%n",
          round == 0 ? "warmup" : "measured", n / seconds, sink);
    }
  }
}
