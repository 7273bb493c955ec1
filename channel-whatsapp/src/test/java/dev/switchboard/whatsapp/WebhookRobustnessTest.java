package dev.switchboard.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.OutboundEvent;
import dev.switchboard.contracts.events.ReplyMessage;
import dev.switchboard.devstack.DevStackTestResource;
import dev.switchboard.whatsapp.support.GraphApiStandIn;
import dev.switchboard.whatsapp.support.KafkaProbe;
import dev.switchboard.whatsapp.support.SpeechToTextStandIn;
import dev.switchboard.whatsapp.support.Webhooks;
import dev.switchboard.whatsapp.webhook.SignatureVerifier;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(GraphApiStandIn.class)
@WithTestResource(SpeechToTextStandIn.class)
class WebhookRobustnessTest {
  private static final String MESSAGES_PATH = "/v23.0/" + Webhooks.NUMBER_ONE + "/messages";

  private KafkaProbe inbound;

  @BeforeEach
  void open() {
    GraphApiStandIn.resetToDefaults();
    inbound = new KafkaProbe(Topics.INBOUND);
  }

  @AfterEach
  void close() {
    inbound.close();
  }

  @Test
  void metaStyleEscapesSlashesAndAtSignsVerifyOnTheRawBytes() {
    String waId = Webhooks.newWaId();
    String wamid = Webhooks.newWamid();
    // Meta escapes non-ASCII as \\uXXXX and may escape slashes; the signature covers these bytes.
    String escaped =
        "Caf\\u00e9 \\ud83d\\ude00 \\u00fcber https:\\/\\/example.org\\/a?b=c mail me@example.org";
    String body = Webhooks.textWebhook(waId, wamid, escaped);

    Webhooks.postSigned(body, Webhooks.SECRET_ONE).then().statusCode(200);

    InboundEvent event = await("wa:" + wamid);
    assertEquals(
        "Café 😀 über https://example.org/a?b=c mail me@example.org",
        event.getUserMessage().getParts(0).getText());
  }

  @Test
  void rawUtf8BodiesVerifyToo() {
    String wamid = Webhooks.newWamid();
    String body = Webhooks.textWebhook(Webhooks.newWaId(), wamid, "Grüße aus Köln 👋 — привет");
    Webhooks.postSigned(body, Webhooks.SECRET_ONE).then().statusCode(200);
    assertEquals(
        "Grüße aus Köln 👋 — привет", await("wa:" + wamid).getUserMessage().getParts(0).getText());
  }

  @Test
  void reSerialisedJsonNoLongerMatchesTheSignature() {
    String body =
        Webhooks.textWebhook(Webhooks.newWaId(), Webhooks.newWamid(), "Caf\\u00e9 \\/path");
    String signature =
        SignatureVerifier.sign(Webhooks.SECRET_ONE, body.getBytes(StandardCharsets.UTF_8));
    // What a JSON library would produce from the same document: same meaning, other bytes.
    byte[] reserialised =
        body.replace("Caf\\u00e9 \\/path", "Café /path").getBytes(StandardCharsets.UTF_8);
    Webhooks.postRaw(reserialised, signature).then().statusCode(401);
  }

  @Test
  void malformedSignatureHeadersAre401() {
    byte[] body =
        Webhooks.textWebhook(Webhooks.newWaId(), Webhooks.newWamid(), "x")
            .getBytes(StandardCharsets.UTF_8);
    String good = SignatureVerifier.sign(Webhooks.SECRET_ONE, body);
    Webhooks.postRaw(body, "").then().statusCode(401);
    Webhooks.postRaw(body, good.substring("sha256=".length())).then().statusCode(401);
    Webhooks.postRaw(body, "sha1=" + good.substring("sha256=".length())).then().statusCode(401);
    Webhooks.postRaw(body, good.substring(0, good.length() - 2)).then().statusCode(401);
    Webhooks.postRaw(body, good.substring(0, good.length() - 2) + "zz").then().statusCode(401);
    Webhooks.postRaw(body, good).then().statusCode(200);
  }

  @Test
  void eachNumberOnlyAcceptsItsOwnAppSecret() {
    String waId = Webhooks.newWaId();
    String forTwo =
        Webhooks.envelope(
            Webhooks.NUMBER_TWO,
            waId,
            Webhooks.textMessage(waId, Webhooks.newWamid(), "to number two"));
    Webhooks.postSigned(forTwo, Webhooks.SECRET_TWO).then().statusCode(200);
    Webhooks.postSigned(forTwo, Webhooks.SECRET_ONE).then().statusCode(401);
  }

  @Test
  void aBodyOver3MegabytesIsRefusedAndOneJustUnderIsTaken() {
    String wamid = Webhooks.newWamid();
    String big = "a".repeat(3 * 1024 * 1024 - 2_000);
    Webhooks.postSigned(Webhooks.textWebhook(Webhooks.newWaId(), wamid, big), Webhooks.SECRET_ONE)
        .then()
        .statusCode(200);
    // Far beyond WhatsApp's own limits: kept, with the text cut to what an event carries.
    String kept = await("wa:" + wamid).getUserMessage().getParts(0).getText();
    assertEquals(65_536, kept.length());
    String tooBig = "a".repeat(3 * 1024 * 1024 + 10);
    Webhooks.postSigned(
            Webhooks.textWebhook(Webhooks.newWaId(), Webhooks.newWamid(), tooBig),
            Webhooks.SECRET_ONE)
        .then()
        .statusCode(413);
  }

  @Test
  void aDuplicateStormOfTwentyIdenticalWebhooksGetsExactlyOneReply() throws Exception {
    String waId = Webhooks.newWaId();
    String wamid = Webhooks.newWamid();
    String body = Webhooks.textWebhook(waId, wamid, "Is anybody there?");

    ExecutorService pool = Executors.newFixedThreadPool(20);
    List<Callable<Integer>> posts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      posts.add(() -> Webhooks.postSigned(body, Webhooks.SECRET_ONE).statusCode());
    }
    List<Integer> statuses = new ArrayList<>();
    for (Future<Integer> status : pool.invokeAll(posts)) {
      statuses.add(status.get());
    }
    pool.shutdown();
    assertTrue(statuses.stream().allMatch(s -> s == 200), "statuses: " + statuses);

    // A stand-in for the core that does not deduplicate: it answers every copy it reads.
    List<ConsumerRecord<String, byte[]>> copies =
        inbound.readUntil(seen -> count(seen, "wa:" + wamid) >= 20, Duration.ofSeconds(20));
    for (ConsumerRecord<String, byte[]> copy : copies) {
      InboundEvent event = InboundEvent.parseFrom(copy.value());
      if (event.getEventId().equals("wa:" + wamid)) {
        OutboundEvent reply = naiveCoreReply(event, "Yes, I am here.");
        KafkaProbe.produce(Topics.OUTBOUND_WHATSAPP, reply.getConversationId(), reply);
      }
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertEquals(1, textSends("Yes, I am here.")));
    // Give stragglers every chance to show up as a second send.
    Thread.sleep(1500);
    assertEquals(1, textSends("Yes, I am here."), "the duplicate storm produced a second reply");
  }

  @Test
  void whenKafkaCannotKeepTheEventsTheWebhookIs503AndTheRedeliveryIsAnsweredOnce()
      throws Exception {
    String waId = Webhooks.newWaId();
    String wamid = Webhooks.newWamid();
    String body = Webhooks.textWebhook(waId, wamid, "Kafka, are you there?");
    inbound.close();
    try (Admin admin = admin()) {
      // The inbound topic disappears: the broker cannot take the events.
      admin.deleteTopics(List.of(Topics.INBOUND)).all().get();
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !admin.listTopics().names().get().contains(Topics.INBOUND));
      try {
        Webhooks.postSigned(body, Webhooks.SECRET_ONE).then().statusCode(503);
      } finally {
        admin.createTopics(List.of(new NewTopic(Topics.INBOUND, 8, (short) 1))).all().get();
      }
    }
    inbound = new KafkaProbe(Topics.INBOUND);
    // Meta redelivers with backoff until it gets a 200.
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> Webhooks.postSigned(body, Webhooks.SECRET_ONE).statusCode() == 200);
    List<ConsumerRecord<String, byte[]>> seen =
        inbound.readUntil(s -> count(s, "wa:" + wamid) >= 1, Duration.ofSeconds(15));
    seen.addAll(inbound.readUntil(s -> false, Duration.ofMillis(1000)));
    assertEquals(1, count(seen, "wa:" + wamid), "exactly the accepted delivery was kept");

    InboundEvent event = InboundEventParse.first(seen, "wa:" + wamid);
    OutboundEvent reply = naiveCoreReply(event, "Now I hear you.");
    KafkaProbe.produce(Topics.OUTBOUND_WHATSAPP, reply.getConversationId(), reply);
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertEquals(1, textSends("Now I hear you.")));
  }

  private static Admin admin() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaProbe.bootstrap());
    return Admin.create(props);
  }

  private static OutboundEvent naiveCoreReply(InboundEvent event, String text) {
    return OutboundEvent.newBuilder()
        .setEventId(event.getEventId() + ":reply:0")
        .setConversationId(event.getConversationId())
        .setSubjectId(event.getSubjectId())
        .setChannel(event.getChannel())
        .setReplyRoute(event.getReplyRoute())
        .setReplyMessage(ReplyMessage.newBuilder().setInReplyTo(event.getEventId()).setText(text))
        .build();
  }

  private static int textSends(String text) {
    return GraphApiStandIn.server()
        .findAll(
            postRequestedFor(urlEqualTo(MESSAGES_PATH))
                .withRequestBody(matchingJsonPath("$.text.body", equalTo(text))))
        .size();
  }

  private InboundEvent await(String eventId) {
    List<ConsumerRecord<String, byte[]>> seen =
        inbound.readUntil(s -> count(s, eventId) >= 1, Duration.ofSeconds(15));
    InboundEvent event = InboundEventParse.first(seen, eventId);
    assertTrue(event != null, "no event " + eventId);
    return event;
  }

  private static long count(List<ConsumerRecord<String, byte[]>> records, String eventId) {
    return records.stream().filter(r -> eventId.equals(InboundEventParse.idOf(r.value()))).count();
  }

  /** Reads inbound records, tolerating records that are not ours. */
  static final class InboundEventParse {
    static String idOf(byte[] value) {
      try {
        return InboundEvent.parseFrom(value).getEventId();
      } catch (Exception e) {
        return "";
      }
    }

    static InboundEvent first(List<ConsumerRecord<String, byte[]>> records, String eventId) {
      for (ConsumerRecord<String, byte[]> record : records) {
        if (eventId.equals(idOf(record.value()))) {
          try {
            return InboundEvent.parseFrom(record.value());
          } catch (Exception e) {
            return null;
          }
        }
      }
      return null;
    }
  }
}
