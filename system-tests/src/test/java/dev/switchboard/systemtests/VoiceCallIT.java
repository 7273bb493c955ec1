package dev.switchboard.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.Dtmf;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.OutboundEvent;
import dev.switchboard.launcher.Platform;
import dev.switchboard.systemtests.CallerMedia.Received;
import dev.switchboard.systemtests.CallerMedia.Sent;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One phone call across the real, packaged services started by the launcher a user runs: SIPp (a
 * real SIP peer) calls channel-voice with its media pointed at this test's RTP endpoint, which
 * speaks the fixture questions as µ-law RTP and records what the platform sends back. Behind the
 * channel run the real conversation core (PostgreSQL, Kafka) and model-adapter with the scripted
 * chat backend, local text-to-speech, and speech-to-text from an OpenAI-compatible provider that is
 * stood in for at its HTTP boundary (WireMock answering {@code /v1/audio/transcriptions}).
 *
 * <p>The call is held once for the class: greeting, a question and its answer, a key press, and a
 * second question whose long answer the caller talks over. Each test checks one thing the caller or
 * the operator would notice.
 */
class VoiceCallIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int TTS_RATE = 8000;

  /** The reply the chat script gives to fixture s1 (one sentence: one reply chunk). */
  private static final String S1_REPLY =
      "The Flintstone house is a colourful home on a hill above the highway near San Francisco.";

  /**
   * A reply must sound as long as the synthesized text (passed through the same µ-law), within two
   * 20 ms frames (one at each end, where the channel's frame grid may cut the first and last
   * syllable differently from ours) or 3 % of its speech, whichever is more: asked again for the
   * same text, the platform's local TTS does not always return exactly the same audio (the
   * greeting's reference came out at 194-199 speech frames in different runs while the caller heard
   * 196 each time; the cause is not known). A lost word is ten frames or more.
   */
  private static int lengthTolerance(int synthesizedSpeechFrames) {
    return Math.max(2, (int) Math.ceil(synthesizedSpeechFrames * 0.03));
  }

  /** The caller's speech must stop our audio within this long (issue 7). */
  private static final long BARGE_IN_LIMIT_MILLIS = 100;

  private static SpeechToTextStandIn speechToText;
  private static Platform platform;
  private static KafkaConsumer<String, byte[]> inbound;
  private static KafkaConsumer<String, byte[]> outbound;
  private static CallerMedia caller;
  private static SippCaller sipp;
  private static final List<InboundEvent> inboundEvents = new CopyOnWriteArrayList<>();
  private static final List<OutboundEvent> outboundEvents = new CopyOnWriteArrayList<>();

  // What happened during the call, for the tests to check.
  private static String conversationId;
  private static String greetingText;
  private static String greetingLanguage;
  private static List<Received> greetingHeard;
  private static List<Received> s1ReplyHeard;
  private static List<Sent> bargeInSpoken;
  private static long bargeInSpeechSentNanos;
  private static long s2ReplyStartedNanos;

  @BeforeAll
  static void placeTheCall() throws Exception {
    RequiredTool.require("sipp", "sip-tester"); // before a minute of platform start-up
    speechToText =
        SpeechToTextStandIn.start(List.of(fixtureText("s1"), fixtureText("s2"), fixtureText("s3")));
    platform =
        TestPlatform.start(
            "platform-voice",
            null,
            Map.of(),
            Map.of(
                "model-adapter",
                Map.of(
                    "switchboard.model.chat.backend", "scripted",
                    "switchboard.model.scripted.script", resourcePath("/voice/chat-script.yaml"),
                    "switchboard.model.stt.backend", "openai",
                    "switchboard.model.openai.base-url", speechToText.baseUrl(),
                    "switchboard.model.tts.backend", "local",
                    "switchboard.model.moderation.backend", "local"),
                "channel-voice",
                Map.of(
                    // No "are you still there?" between the test's steps on a slow machine.
                    "switchboard.voice.conversation.silence-timeout", "300s",
                    // The test ends by dropping the caller; shut down without a long drain.
                    "switchboard.voice.calls.drain-grace", "2s")));
    String bootstrap = platform.devStack().kafkaBootstrapServers();
    inbound = consumerAtEnd(bootstrap, Topics.INBOUND);
    outbound = consumerAtEnd(bootstrap, Topics.OUTBOUND_VOICE);
    caller = new CallerMedia();
    long callPlacedNanos = System.nanoTime();
    sipp =
        SippCaller.call(
            "caller.xml", platform.ports().sip(), caller.port(), 240_000, "+12125551212");

    InboundEvent started = awaitInbound(InboundEvent::hasCallStarted, "CallStarted");
    conversationId = started.getConversationId();
    var accept =
        awaitOutbound(
                e ->
                    e.getConversationId().equals(conversationId)
                        && e.hasCallDirective()
                        && e.getCallDirective().hasAccept(),
                "the core's CallDirective accepting the call")
            .getCallDirective()
            .getAccept();
    greetingText = accept.getGreetingText();
    greetingLanguage = accept.getLanguage();

    // 1. The greeting plays; the caller listens until it is over.
    greetingHeard = awaitSpeechThenQuiet(callPlacedNanos, "the greeting");

    // 2. The caller asks s1 and listens to the whole answer.
    long s1End = lastSpeechSent(caller.speak("/voice/audio/s1_8k.wav", 1000));
    s1ReplyHeard = awaitSpeechThenQuiet(s1End, "the reply to the first question");

    // 3. A key press as RFC 4733 events (SIPp pressed 7 by SIP INFO as the call began).
    caller.pressKey(5);

    // 4. The caller asks s2 and, a second into the long answer, talks over it with s3.
    long s2End = lastSpeechSent(caller.speak("/voice/audio/s2_8k.wav", 1000));
    Eventually.await(
        "a second of the reply to the second question",
        WAIT,
        () -> caller.receivedAfter(s2End).stream().filter(Received::speech).count(),
        frames -> frames >= 50);
    s2ReplyStartedNanos =
        caller.receivedAfter(s2End).stream()
            .filter(Received::speech)
            .findFirst()
            .orElseThrow()
            .arrivalNanos();
    bargeInSpoken = caller.speak("/voice/audio/s3_8k.wav", 1000);
    bargeInSpeechSentNanos =
        bargeInSpoken.stream().filter(Sent::speech).findFirst().orElseThrow().sentNanos();
  }

  @AfterAll
  static void hangUp() throws Exception {
    if (sipp != null) {
      sipp.close();
    }
    if (caller != null) {
      caller.close();
    }
    if (inbound != null) {
      inbound.close();
    }
    if (outbound != null) {
      outbound.close();
    }
    if (platform != null) {
      platform.close();
    }
    if (speechToText != null) {
      speechToText.close();
    }
  }

  @Test
  void theCallerHearsTheWholeGreeting() throws Exception {
    assertTrue(
        greetingText.contains("AI assistant") && greetingText.contains("reviewed for safety"),
        "the greeting carries the disclosure: " + greetingText);
    assertSoundsLike(greetingText, greetingLanguage, greetingHeard, "greeting");
  }

  @Test
  void theReplyToTheQuestionIsHeardAtItsSynthesizedLength() throws Exception {
    OutboundEvent chunk =
        awaitOutbound(
            e -> e.hasReplyChunk() && e.getReplyChunk().getText().equals(S1_REPLY),
            "the reply chunk to the first question");
    assertSoundsLike(
        S1_REPLY, chunk.getReplyChunk().getLanguage(), s1ReplyHeard, "reply to the first question");
  }

  @Test
  void theQuestionsAudioReachedSpeechToText() {
    List<LoggedRequest> requests = speechToText.transcriptionRequests();
    assertTrue(requests.size() >= 3, "one transcription per question: " + requests.size());
    LoggedRequest first = requests.get(0);
    String body = new String(first.getBody(), StandardCharsets.ISO_8859_1);
    assertTrue(body.contains("name=\"file\""), "the audio went as the multipart file part");
    // The first question is about 3 s of 8 kHz 16-bit audio.
    assertTrue(first.getBody().length > 2 * 16_000, "seconds of audio, not a fragment");
  }

  @Test
  void theCoreStoredTheQuestionAndTheReply() throws Exception {
    List<StoredTurn> turns =
        Eventually.await(
            "the first question and its reply in the core's database",
            WAIT,
            VoiceCallIT::storedTurns,
            stored -> stored.size() >= 2);
    assertEquals(new StoredTurn("user", fixtureText("s1")), turns.get(0));
    assertEquals(new StoredTurn("assistant", S1_REPLY), turns.get(1));
    StoredTurn second = new StoredTurn("user", fixtureText("s2"));
    assertTrue(turns.contains(second), "the second question too: " + turns);
  }

  @Test
  void speechDuringTheReplyStopsOurAudioWithin100Millis() throws Exception {
    InboundEvent interrupted = awaitInbound(InboundEvent::hasInterrupted, "Interrupted");
    assertEquals(conversationId, interrupted.getConversationId());
    // Our audio that still arrived after the caller started talking, while they talk (the answer
    // to their new question cannot start before they stop).
    long bargeInSpeechEnd = lastSpeechSent(bargeInSpoken);
    List<Received> after =
        caller.receivedAfter(bargeInSpeechSentNanos).stream()
            .filter(r -> r.arrivalNanos() < bargeInSpeechEnd)
            .filter(Received::speech)
            .toList();
    long lastOursNanos =
        after.isEmpty() ? bargeInSpeechSentNanos : after.get(after.size() - 1).arrivalNanos();
    long stoppedAfterMillis = TimeUnit.NANOSECONDS.toMillis(lastOursNanos - bargeInSpeechSentNanos);
    System.out.printf(
        "barge-in: our audio stopped %d ms after the caller's first speech frame (%d frames)%n",
        stoppedAfterMillis, after.size());
    assertTrue(
        stoppedAfterMillis <= BARGE_IN_LIMIT_MILLIS,
        "our audio went on for "
            + stoppedAfterMillis
            + " ms ("
            + after.size()
            + " speech frames) after the caller started talking");
    assertTrue(
        bargeInSpeechSentNanos - s2ReplyStartedNanos > TimeUnit.MILLISECONDS.toNanos(900),
        "the caller talked over the reply, not before it");
  }

  @Test
  void theCoreStoredTheReplyTheCallerTalkedOverAsInterrupted() throws Exception {
    // The scripted model finished the long reply at once; the caller heard about a second of it.
    List<String> interrupted =
        Eventually.await(
            "the talked-over reply marked interrupted in the core's database",
            WAIT,
            VoiceCallIT::interruptedReplies,
            replies -> !replies.isEmpty());
    assertEquals(1, interrupted.size(), interrupted.toString());
    assertTrue(interrupted.get(0).startsWith("In Spanish you can say"), interrupted.get(0));
  }

  @Test
  void keypadDigitsReachTheCore() throws Exception {
    InboundEvent info =
        awaitInbound(
            e -> e.hasDtmf() && e.getDtmf().getMethod() == Dtmf.Method.METHOD_SIP_INFO,
            "the SIP INFO key press");
    InboundEvent rfc4733 =
        awaitInbound(
            e -> e.hasDtmf() && e.getDtmf().getMethod() == Dtmf.Method.METHOD_RFC4733,
            "the RFC 4733 key press");
    assertEquals("7", info.getDtmf().getDigits());
    assertEquals("5", rfc4733.getDtmf().getDigits());
    assertEquals(conversationId, rfc4733.getConversationId());
    for (InboundEvent digit : List.of(info, rfc4733)) {
      Eventually.await(
          "the core to record key press " + digit.getEventId(),
          WAIT,
          () -> processedByCore(digit.getEventId()),
          done -> done);
    }
  }

  // ---- the audio the caller heard ----

  /** When the caller's last speech frame left: a fast answer may start within the silence after. */
  private static long lastSpeechSent(List<Sent> spoken) {
    return spoken.stream().filter(Sent::speech).reduce((a, b) -> b).orElseThrow().sentNanos();
  }

  /**
   * Waits until speech arrived after {@code sinceNanos} and then a second and a half without any;
   * returns the packets of that stretch.
   */
  private static List<Received> awaitSpeechThenQuiet(long sinceNanos, String what)
      throws Exception {
    Eventually.await(
        what + " to be heard and then end",
        WAIT,
        () -> caller.receivedAfter(sinceNanos),
        packets -> {
          java.util.OptionalLong lastSpeech = caller.lastSpeechAfter(sinceNanos);
          return lastSpeech.isPresent()
              && System.nanoTime() - lastSpeech.getAsLong() > TimeUnit.MILLISECONDS.toNanos(1500);
        });
    return caller.receivedAfter(sinceNanos);
  }

  /**
   * The caller heard {@code text}: the stretch from its first to its last speech frame on the
   * channel's RTP timeline, and the number of speech frames in it, match the same text synthesized
   * by the platform's own TTS.
   */
  private static void assertSoundsLike(
      String text, String language, List<Received> heard, String what) {
    List<Received> speech = heard.stream().filter(Received::speech).toList();
    assertFalse(speech.isEmpty(), "no " + what + " audio arrived");
    long spanFrames =
        (speech.get(speech.size() - 1).rtpTimestamp() - speech.get(0).rtpTimestamp())
                / CallerMedia.FRAME_SAMPLES
            + 1;
    short[] synthesized;
    try (ModelSpeechClient tts = new ModelSpeechClient(platform.ports().modelGrpc())) {
      synthesized = CallerMedia.throughUlaw(tts.synthesize(text, language, TTS_RATE));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    boolean[] loud = speechFrames(synthesized);
    int first = -1;
    int last = -1;
    int loudCount = 0;
    for (int i = 0; i < loud.length; i++) {
      if (loud[i]) {
        first = first < 0 ? i : first;
        last = i;
        loudCount++;
      }
    }
    assertTrue(first >= 0, "the synthesized " + what + " is silent");
    long expectedSpan = last - first + 1;
    System.out.printf(
        "%s: heard %d frames (%d speech), synthesized %d frames (%d speech)%n",
        what, spanFrames, speech.size(), expectedSpan, loudCount);
    assertTrue(
        Math.abs(spanFrames - expectedSpan) <= lengthTolerance(loudCount),
        what + " lasted " + spanFrames * 20 + " ms; synthesized " + expectedSpan * 20 + " ms");
    assertTrue(
        Math.abs(speech.size() - loudCount) <= lengthTolerance(loudCount),
        what + " had " + speech.size() + " speech frames; synthesized " + loudCount);
  }

  /** Which 20 ms frames of 8 kHz audio are speech, by the same peak rule as the caller's ear. */
  private static boolean[] speechFrames(short[] samples) {
    boolean[] speech = new boolean[samples.length / CallerMedia.FRAME_SAMPLES];
    for (int f = 0; f < speech.length; f++) {
      int peak = 0;
      for (int i = f * CallerMedia.FRAME_SAMPLES; i < (f + 1) * CallerMedia.FRAME_SAMPLES; i++) {
        peak = Math.max(peak, Math.abs(samples[i]));
      }
      speech[f] = peak > CallerMedia.SPEECH_PEAK;
    }
    return speech;
  }

  // ---- Kafka, as an observer ----

  private static KafkaConsumer<String, byte[]> consumerAtEnd(String bootstrap, String topic) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("enable.auto.commit", "false");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo p : consumer.partitionsFor(topic)) {
      partitions.add(new TopicPartition(p.topic(), p.partition()));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // fix the start before the call begins
    return consumer;
  }

  private static synchronized InboundEvent awaitInbound(Predicate<InboundEvent> wanted, String what)
      throws Exception {
    return awaitEvent(inbound, InboundEvent::parseFrom, inboundEvents, wanted, what);
  }

  private static synchronized OutboundEvent awaitOutbound(
      Predicate<OutboundEvent> wanted, String what) throws Exception {
    return awaitEvent(outbound, OutboundEvent::parseFrom, outboundEvents, wanted, what);
  }

  private interface Parser<T> {
    T parse(byte[] bytes) throws IOException;
  }

  private static <T> T awaitEvent(
      KafkaConsumer<String, byte[]> consumer,
      Parser<T> parser,
      List<T> seen,
      Predicate<T> wanted,
      String what)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      Optional<T> found = seen.stream().filter(wanted).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " on Kafka; saw " + seen);
      }
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        seen.add(parser.parse(record.value()));
      }
    }
  }

  // ---- the core's database ----

  /** A turn as the core stored it. */
  record StoredTurn(String role, String text) {}

  private static List<StoredTurn> storedTurns() {
    String sql =
        "select t.role, t.text from core.turn t join core.conversation c"
            + " on c.id = t.conversation_id where c.channel_key = ? order by t.turn_index";
    try (Connection db = coreDatabase();
        PreparedStatement query = db.prepareStatement(sql)) {
      query.setString(1, conversationId);
      List<StoredTurn> turns = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          turns.add(new StoredTurn(rows.getString(1), rows.getString(2)));
        }
      }
      return turns;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> interruptedReplies() {
    String sql =
        "select t.text from core.turn t join core.conversation c on c.id = t.conversation_id"
            + " where c.channel_key = ? and t.role = 'assistant' and t.interrupted"
            + " order by t.turn_index";
    try (Connection db = coreDatabase();
        PreparedStatement query = db.prepareStatement(sql)) {
      query.setString(1, conversationId);
      List<String> texts = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          texts.add(rows.getString(1));
        }
      }
      return texts;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean processedByCore(String eventId) {
    try (Connection db = coreDatabase();
        PreparedStatement query =
            db.prepareStatement("select 1 from core.processed_event where event_id = ?")) {
      query.setString(1, eventId);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Connection coreDatabase() throws SQLException {
    var postgres = platform.devStack().postgres();
    return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
  }

  // ---- fixtures ----

  private static String fixtureText(String name) throws IOException {
    try (InputStream in = VoiceCallIT.class.getResourceAsStream("/voice/audio/" + name + ".txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
  }

  private static String resourcePath(String resource) throws URISyntaxException {
    return Path.of(VoiceCallIT.class.getResource(resource).toURI()).toString();
  }
}
