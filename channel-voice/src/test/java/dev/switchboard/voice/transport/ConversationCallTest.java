package dev.switchboard.voice.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.CallDirective;
import dev.switchboard.contracts.events.CallEnded;
import dev.switchboard.contracts.events.Channel;
import dev.switchboard.contracts.events.Dtmf;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.OutboundEvent;
import dev.switchboard.contracts.events.ReplyChunk;
import dev.switchboard.contracts.identity.SubjectIds;
import dev.switchboard.devstack.DevStackTestResource;
import dev.switchboard.voice.codec.G711;
import dev.switchboard.voice.codec.G711Law;
import dev.switchboard.voice.standin.SpeechStandIn;
import dev.switchboard.voice.standin.SpeechStandInResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * A whole call against the running channel with real parts: SIPp (a real SIP peer) places the call
 * with its media pointed at this test's RTP endpoint, which plays the fixture question as µ-law RTP
 * and records what the channel sends; the real Kafka broker carries the events; model-adapter is
 * stood in for at its gRPC boundary ({@link SpeechStandIn}). The test acts as the conversation core
 * at the Kafka boundary: it reads {@code conversation.inbound} and writes the directive and the
 * reply to {@code conversation.outbound.voice} partition 0.
 */
@QuarkusTest
@TestProfile(ConversationProfile.class)
@WithTestResource(DevStackTestResource.class)
@WithTestResource(SpeechStandInResource.class)
class ConversationCallTest {
  private static final String CALLER = "+12125551212";
  private static final String GREETING = "Hello, you are talking to an AI assistant"; // 8 words
  private static final String REPLY = "It is in Bedrock"; // 4 words
  static final String LONG_REPLY =
      "Bedrock is a fictional town where the Flintstones live and their neighbours the Rubbles"
          + " live right next door to them"; // 22 words, 4.4 s
  private static final int FRAME_MS = 20;

  private final SipServer server;

  ConversationCallTest(SipServer server) {
    this.server = server;
  }

  @Test
  void aCallerHoldsAConversation() throws Exception {
    String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    try (KafkaConsumer<String, byte[]> inbound = inboundConsumer(bootstrap);
        KafkaProducer<String, byte[]> core = producer(bootstrap);
        RtpPeer peer = new RtpPeer()) {
      CompletableFuture<Sipp.Result> call =
          CompletableFuture.supplyAsync(
              () ->
                  Sipp.run(
                      "conversation-call.xml",
                      server.port(),
                      "u1",
                      "-key",
                      "rtpport",
                      Integer.toString(peer.port()),
                      "-d",
                      "30000",
                      "-timeout",
                      "50"));

      // 1. CallStarted with this node's reply route and the caller's subject id.
      InboundEvent started = await(inbound, InboundEvent::hasCallStarted, "call_started");
      String conversationId = started.getConversationId();
      String callId = started.getCallStarted().getCallId();
      assertEquals("call:" + callId, conversationId);
      assertEquals(conversationId + ":call_started:0", started.getEventId());
      assertEquals(Topics.OUTBOUND_VOICE, started.getReplyRoute().getTopic());
      assertEquals(0, started.getReplyRoute().getPartition());
      assertEquals("voice-test-0", started.getReplyRoute().getChannelAddress());
      assertEquals(Channel.CHANNEL_VOICE, started.getChannel());
      assertEquals(CALLER, started.getUserE164());
      String pepper =
          ConfigProvider.getConfig().getValue("switchboard.identity.pepper", String.class);
      assertEquals(new SubjectIds(pepper).of(CALLER), started.getSubjectId());

      // A key pressed by SIP INFO (signalled through the SIP/media seam) reaches the core.
      InboundEvent info =
          await(
              inbound,
              e -> e.hasDtmf() && e.getDtmf().getMethod() == Dtmf.Method.METHOD_SIP_INFO,
              "SIP INFO dtmf");
      assertEquals("7", info.getDtmf().getDigits());
      assertEquals(conversationId + ":dtmf:0", info.getEventId());

      // 2. The core accepts: the greeting is synthesized and arrives as RTP, all of it.
      send(
          core,
          outbound(conversationId, started.getEventId() + ":reply:0")
              .setCallDirective(
                  CallDirective.newBuilder()
                      .setCallId(callId)
                      .setAccept(
                          CallDirective.Accept.newBuilder()
                              .setGreetingText(GREETING)
                              .setLanguage("en")
                              .setMaxDurationSeconds(600)))
              .build());
      int greetingFrames = SpeechStandIn.toneMillis(GREETING) / FRAME_MS;
      peer.awaitQuietAfterTone(greetingFrames, Duration.ofSeconds(10));
      assertEquals(
          greetingFrames,
          peer.toneFrames(),
          () ->
              "greeting frames received as RTP; packets "
                  + peer.packetsReceived()
                  + ", syntheses "
                  + SpeechStandInResource.current().syntheses().size());
      assertTrue(peer.packetsReceived() > greetingFrames, "paced RTP (silence between speech)");

      // 3. The caller asks the fixture question; the transcript becomes a UserMessage.
      peer.playFixture("/audio/s1_8k.wav");
      InboundEvent question = await(inbound, InboundEvent::hasUserMessage, "user_message");
      assertEquals(conversationId + ":user_message:0", question.getEventId());
      assertEquals(SpeechStandIn.TRANSCRIPT, question.getUserMessage().getParts(0).getText());
      assertEquals("en", question.getUserMessage().getLanguage());
      assertEquals(Topics.OUTBOUND_VOICE, question.getReplyRoute().getTopic());
      SpeechStandIn speech = SpeechStandInResource.current();
      assertTrue(
          speech.audioBytesHeard() >= 2 * 8000, "at least a second of the question reached STT");

      // 4. A reply chunk (delivered twice, as Kafka may) is spoken once, at its full length.
      int before = peer.toneFrames();
      OutboundEvent chunk =
          outbound(conversationId, question.getEventId() + ":reply:0")
              .setReplyChunk(
                  ReplyChunk.newBuilder()
                      .setInReplyTo(question.getEventId())
                      .setIndex(0)
                      .setText(REPLY)
                      .setLanguage("en")
                      .setLast(true))
              .build();
      send(core, chunk);
      send(core, chunk);
      int replyFrames = SpeechStandIn.toneMillis(REPLY) / FRAME_MS;
      peer.awaitQuietAfterTone(before + replyFrames, Duration.ofSeconds(10));
      Thread.sleep(500); // a duplicate would have started by now
      assertEquals(replyFrames, peer.toneFrames() - before, "reply frames received as RTP");
      assertEquals(
          2,
          speech.syntheses().stream()
              .filter(r -> r.getText().equals(REPLY) || r.getText().equals(GREETING))
              .count(),
          "greeting and reply synthesized once each");
      assertTrue(speech.syntheses().stream().allMatch(r -> r.getLanguage().equals("en")));

      // 5. A key press (RFC 4733) reaches the core.
      peer.pressKey(5);
      InboundEvent dtmf =
          await(
              inbound,
              e -> e.hasDtmf() && e.getDtmf().getMethod() == Dtmf.Method.METHOD_RFC4733,
              "RFC 4733 dtmf");
      assertEquals("5", dtmf.getDtmf().getDigits());
      assertEquals(Dtmf.Method.METHOD_RFC4733, dtmf.getDtmf().getMethod());

      // 6. Barge-in: the caller speaks over a long reply; our audio stops and the core hears of it.
      int beforeLong = peer.toneFrames();
      send(
          core,
          outbound(conversationId, question.getEventId() + ":reply:1")
              .setReplyChunk(
                  ReplyChunk.newBuilder()
                      .setInReplyTo(question.getEventId())
                      .setIndex(1)
                      .setText(LONG_REPLY)
                      .setLanguage("en"))
              .build());
      peer.awaitToneFrames(beforeLong + 25, Duration.ofSeconds(10)); // half a second in
      peer.playFixture("/audio/s2_8k.wav");
      InboundEvent interrupted = await(inbound, InboundEvent::hasInterrupted, "interrupted");
      assertEquals(question.getEventId(), interrupted.getInterrupted().getInterruptedReplyTo());
      assertTrue(interrupted.getInterrupted().getHeardMs() >= 500, "heard at least half a second");
      int longFrames = SpeechStandIn.toneMillis(LONG_REPLY) / FRAME_MS;
      int heard = peer.toneFrames() - beforeLong;
      assertTrue(
          heard < longFrames - 50,
          "our audio stopped when the caller spoke: heard " + heard + " of " + longFrames);
      // What was heard, as text: the first reply whole, then the words of the long one that had
      // been played, in proportion to its audio the caller received.
      String heardText = interrupted.getInterrupted().getHeardText();
      assertTrue(
          heardText.startsWith(REPLY + " "), "the first reply was heard whole: " + heardText);
      String ofLong = heardText.substring(REPLY.length() + 1);
      assertTrue(
          !ofLong.isEmpty() && LONG_REPLY.startsWith(ofLong + " "),
          "a whole-word beginning of the interrupted reply: " + ofLong);
      double shareOfAudio = (double) heard / longFrames;
      double shareOfText = (double) ofLong.length() / LONG_REPLY.length();
      assertTrue(
          Math.abs(shareOfAudio - shareOfText) < 0.15,
          "text heard ("
              + shareOfText
              + ") in proportion to audio heard ("
              + shareOfAudio
              + "): "
              + ofLong);

      // 7. An unreadable outbound record goes to the dead-letter topic with its reason.
      core.send(
              new ProducerRecord<>(
                  Topics.OUTBOUND_VOICE, 0, conversationId, new byte[] {(byte) 0xFF, 0x01}))
          .get(10, TimeUnit.SECONDS);
      assertDeadLettered(bootstrap);

      // 8. The caller hangs up: CallEnded with the reason and a duration.
      Sipp.Result sipp = call.get(60, TimeUnit.SECONDS);
      assertTrue(sipp.passed(), () -> "SIPp failed\n" + sipp.describe());
      InboundEvent ended = await(inbound, InboundEvent::hasCallEnded, "call_ended");
      assertEquals(CallEnded.Reason.REASON_CALLER_HUNG_UP, ended.getCallEnded().getReason());
      assertTrue(ended.getCallEnded().getDurationSeconds() >= 20);
      assertEquals(conversationId + ":call_ended:0", ended.getEventId());
      assertFalse(ended.getUserE164().isEmpty());

      // 9. What the SRE dashboard reads: the answered turn's latency, and the reply lane's lag.
      MeterRegistry metrics = Arc.container().instance(MeterRegistry.class).get();
      assertTrue(
          metrics.find("switchboard.voice.turn.latency").timer().count() >= 1,
          "the voice turn latency timer recorded the answered turn");
      assertTrue(
          metrics
                  .find("switchboard.voice.turn.stage")
                  .tag("stage", "first_rtp_packet")
                  .timer()
                  .count()
              >= 1,
          "the first_rtp_packet stage recorded the answered turn");
      assertTrue(
          metrics.find("kafka.consumer.fetch.manager.records.lag.max").gauges().stream()
              .anyMatch(g -> g.getId().getTag("client.id").startsWith("channel-voice-")),
          "the outbound consumer's lag is exported");
      // RTP and SIP datagrams flowed, yet no meter per remote address was made for them.
      assertTrue(
          metrics.getMeters().stream().noneMatch(m -> m.getId().getName().startsWith("udp.")),
          "no per-peer UDP meters");
    }
  }

  @Test
  void aRefusedCallerHearsWhyAndThenWeHangUp() throws Exception {
    String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    try (KafkaConsumer<String, byte[]> inbound = inboundConsumer(bootstrap);
        KafkaProducer<String, byte[]> core = producer(bootstrap);
        RtpPeer peer = new RtpPeer()) {
      CompletableFuture<Sipp.Result> call = waitForOurBye(peer);
      InboundEvent started = await(inbound, InboundEvent::hasCallStarted, "call_started");
      String refusal = "Sorry, this service is not available to you";
      send(
          core,
          outbound(started.getConversationId(), started.getEventId() + ":reply:0")
              .setCallDirective(
                  CallDirective.newBuilder()
                      .setCallId(started.getCallStarted().getCallId())
                      .setRefuse(
                          CallDirective.Refuse.newBuilder().setText(refusal).setReason("blocked")))
              .build());
      Sipp.Result sipp = call.get(60, TimeUnit.SECONDS);
      assertTrue(sipp.passed(), () -> "we did not hang up\n" + sipp.describe());
      assertEquals(
          SpeechStandIn.toneMillis(refusal) / FRAME_MS,
          peer.toneFrames(),
          "the whole refusal was played before the BYE");
      InboundEvent ended = await(inbound, InboundEvent::hasCallEnded, "call_ended");
      assertEquals(CallEnded.Reason.REASON_REFUSED, ended.getCallEnded().getReason());
    }
  }

  @Test
  void theCallEndsAtTheDirectivesTimeLimitWithAGoodbye() throws Exception {
    String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    try (KafkaConsumer<String, byte[]> inbound = inboundConsumer(bootstrap);
        KafkaProducer<String, byte[]> core = producer(bootstrap);
        RtpPeer peer = new RtpPeer()) {
      CompletableFuture<Sipp.Result> call = waitForOurBye(peer);
      InboundEvent started = await(inbound, InboundEvent::hasCallStarted, "call_started");
      String greeting = "Hi there";
      send(
          core,
          outbound(started.getConversationId(), started.getEventId() + ":reply:0")
              .setCallDirective(
                  CallDirective.newBuilder()
                      .setCallId(started.getCallStarted().getCallId())
                      .setAccept(
                          CallDirective.Accept.newBuilder()
                              .setGreetingText(greeting)
                              .setLanguage("en")
                              .setMaxDurationSeconds(4)))
              .build());
      Sipp.Result sipp = call.get(60, TimeUnit.SECONDS);
      assertTrue(sipp.passed(), () -> "we did not hang up at the limit\n" + sipp.describe());
      String goodbye =
          ConfigProvider.getConfig()
              .getOptionalValue("switchboard.voice.conversation.goodbye-prompt", String.class)
              .orElse("Thank you for calling. Goodbye.");
      assertEquals(
          (SpeechStandIn.toneMillis(greeting) + SpeechStandIn.toneMillis(goodbye)) / FRAME_MS,
          peer.toneFrames(),
          "greeting, then the whole goodbye before the BYE");
      InboundEvent ended = await(inbound, InboundEvent::hasCallEnded, "call_ended");
      assertEquals(CallEnded.Reason.REASON_TIME_LIMIT, ended.getCallEnded().getReason());
      assertTrue(ended.getCallEnded().getDurationSeconds() >= 4);
    }
  }

  private CompletableFuture<Sipp.Result> waitForOurBye(RtpPeer peer) {
    return waitForOurBye(server, peer);
  }

  static CompletableFuture<Sipp.Result> waitForOurBye(SipServer server, RtpPeer peer) {
    return CompletableFuture.supplyAsync(
        () ->
            Sipp.run(
                "conversation-we-hang-up.xml",
                server.port(),
                "u1",
                "-key",
                "rtpport",
                Integer.toString(peer.port()),
                "-timeout",
                "40"));
  }

  // ---- Kafka, as the conversation core sees it ----

  static KafkaConsumer<String, byte[]> inboundConsumer(String bootstrap) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("enable.auto.commit", "false");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo p : consumer.partitionsFor(Topics.INBOUND)) {
      partitions.add(new TopicPartition(p.topic(), p.partition()));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // fix the start before the call begins
    return consumer;
  }

  static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("acks", "all");
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  private final List<InboundEvent> seen = new ArrayList<>();

  /** Events read while waiting for others and not claimed yet. */
  List<InboundEvent> seenEvents() {
    return List.copyOf(seen);
  }

  InboundEvent await(
      KafkaConsumer<String, byte[]> consumer, Predicate<InboundEvent> wanted, String what)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      for (InboundEvent e : seen) {
        if (wanted.test(e)) {
          seen.remove(e);
          return e;
        }
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        InboundEvent e = InboundEvent.parseFrom(r.value());
        assertEquals(e.getConversationId(), r.key(), "keyed by conversation id");
        seen.add(e);
      }
    }
    throw new AssertionError("no " + what + " event on " + Topics.INBOUND + "; saw " + seen);
  }

  private static void assertDeadLettered(String bootstrap) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    try (KafkaConsumer<String, byte[]> dlq =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(Topics.deadLetterOf(Topics.OUTBOUND_VOICE), 0);
      dlq.assign(List.of(partition));
      dlq.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(200))) {
          var reason = r.headers().lastHeader("dead-letter-reason");
          if (reason != null && r.value().length == 2) {
            assertTrue(new String(reason.value()).contains("unparseable"));
            return;
          }
        }
      }
      throw new AssertionError("the unreadable record was not dead-lettered");
    }
  }

  static OutboundEvent.Builder outbound(String conversationId, String eventId) {
    return OutboundEvent.newBuilder()
        .setEventId(eventId)
        .setConversationId(conversationId)
        .setChannel(Channel.CHANNEL_VOICE)
        .setOccurredAt(Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000));
  }

  static void send(KafkaProducer<String, byte[]> producer, OutboundEvent event) throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                Topics.OUTBOUND_VOICE, 0, event.getConversationId(), event.toByteArray()))
        .get(10, TimeUnit.SECONDS);
  }

  // ---- the caller's RTP endpoint ----

  /** Sends the caller's audio and records what the channel sends (tone frames = speech). */
  static final class RtpPeer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread receiver;
    private final AtomicInteger packets = new AtomicInteger();
    private final AtomicInteger tone = new AtomicInteger();
    private final List<Long> arrivals = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile long lastToneNanos;
    private volatile InetSocketAddress channel;
    private volatile boolean open = true;
    private int seq = 1;
    private long timestamp = 1000;

    RtpPeer() throws IOException {
      socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
      socket.setSoTimeout(200);
      receiver = new Thread(this::receive, "test-rtp-peer");
      receiver.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    int packetsReceived() {
      return packets.get();
    }

    int toneFrames() {
      return tone.get();
    }

    /** RTP packets that arrived between two {@link System#nanoTime()} instants. */
    long packetsBetween(long fromNanos, long toNanos) {
      synchronized (arrivals) {
        return arrivals.stream().filter(t -> t >= fromNanos && t <= toNanos).count();
      }
    }

    private void receive() {
      byte[] buffer = new byte[2048];
      while (open) {
        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(p);
        } catch (SocketTimeoutException e) {
          continue;
        } catch (IOException e) {
          return;
        }
        if (p.getLength() < 12 || (buffer[0] & 0xC0) != 0x80) {
          continue;
        }
        channel = (InetSocketAddress) p.getSocketAddress();
        arrivals.add(System.nanoTime());
        packets.incrementAndGet();
        byte[] payload = new byte[p.getLength() - 12];
        System.arraycopy(buffer, 12, payload, 0, payload.length);
        int peak = 0;
        for (short s : G711.decode(G711Law.ULAW, payload)) {
          peak = Math.max(peak, Math.abs(s));
        }
        if (peak > 2000) {
          tone.incrementAndGet();
          lastToneNanos = System.nanoTime();
        }
      }
    }

    /** Waits until {@code frames} tone frames arrived and then 300 ms without any. */
    void awaitQuietAfterTone(int frames, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (tone.get() >= frames && System.nanoTime() - lastToneNanos > 300_000_000L) {
          return;
        }
        Thread.sleep(20);
      }
    }

    /** Waits until {@code frames} tone frames arrived. */
    void awaitToneFrames(int frames, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && tone.get() < frames) {
        Thread.sleep(5);
      }
    }

    /** Plays a WAV (8 kHz mono) as 20 ms µ-law packets, then a second of silence. */
    void playFixture(String resource) throws Exception {
      short[] pcm = readWav(resource);
      for (int offset = 0; offset + 160 <= pcm.length; offset += 160) {
        short[] frame = new short[160];
        System.arraycopy(pcm, offset, frame, 0, 160);
        sendPacket(0, false, G711.encode(G711Law.ULAW, frame), 160);
      }
      byte[] silence = new byte[160];
      java.util.Arrays.fill(silence, G711.ULAW_SILENCE);
      for (int i = 0; i < 75; i++) {
        sendPacket(0, false, silence, 160);
      }
    }

    /** RFC 4733: three packets of the event, then three redundant end packets. */
    void pressKey(int event) throws Exception {
      long start = timestamp;
      for (int i = 1; i <= 6; i++) {
        boolean end = i > 3;
        int duration = Math.min(i, 4) * 160;
        byte[] payload = {
          (byte) event, (byte) ((end ? 0x80 : 0) | 10), (byte) (duration >> 8), (byte) duration
        };
        sendRaw(101, i == 1, payload, start);
      }
      timestamp += 4 * 160;
    }

    private void sendPacket(int payloadType, boolean marker, byte[] payload, int samples)
        throws Exception {
      sendRaw(payloadType, marker, payload, timestamp);
      timestamp += samples;
    }

    private void sendRaw(int payloadType, boolean marker, byte[] payload, long ts)
        throws Exception {
      ByteBuffer packet = ByteBuffer.allocate(12 + payload.length).order(ByteOrder.BIG_ENDIAN);
      packet.put((byte) 0x80);
      packet.put((byte) ((marker ? 0x80 : 0) | payloadType));
      packet.putShort((short) seq++);
      packet.putInt((int) ts);
      packet.putInt(0x1234ABCD);
      packet.put(payload);
      InetSocketAddress to = channel;
      if (to == null) {
        throw new AssertionError("the channel has not sent any RTP yet");
      }
      socket.send(new DatagramPacket(packet.array(), packet.capacity(), to));
      Thread.sleep(FRAME_MS);
    }

    private static short[] readWav(String resource) throws Exception {
      try (InputStream in = ConversationCallTest.class.getResourceAsStream(resource);
          AudioInputStream wav =
              AudioSystem.getAudioInputStream(new java.io.BufferedInputStream(in))) {
        AudioInputStream pcm =
            AudioSystem.getAudioInputStream(new AudioFormat(8000, 16, 1, true, false), wav);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        pcm.transferTo(bytes);
        ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        short[] samples = new short[b.remaining() / 2];
        b.asShortBuffer().get(samples);
        return samples;
      }
    }

    @Override
    public void close() throws InterruptedException {
      open = false;
      receiver.join(1000);
      socket.close();
    }
  }
}
