package dev.switchboard.systemtests;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.contracts.Topics;
import dev.switchboard.devstack.PostgresServer;
import dev.switchboard.launcher.Platform;
import dev.switchboard.launcher.PlatformOptions.WhatsAppNumber;
import dev.switchboard.launcher.SampleWebhook;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The conversation core killed (SIGKILL) after the model answered and before the turn was
 * committed, in the middle of a conversation, across the real, packaged services: the person still
 * gets exactly one reply to that message, the core's database holds the turn exactly once, safety
 * review gets its transcript once, and the conversation goes on in order.
 *
 * <p>How the crash is placed without any hook in the core: the test holds {@code LOCK TABLE
 * core.turn IN SHARE MODE} in an open transaction of its own. That lets every read of the turn
 * table through (the dedupe read and {@code prepare} only read it) but makes the insert of the
 * turn, the first write of the core's commit transaction, wait. The test sees the model call in
 * model-adapter's request metrics and the waiting insert in {@code pg_locks}, kills the core,
 * releases the lock (the orphaned backend then finds its client gone and rolls back) and starts the
 * core again with the same configuration.
 */
class CoreCrashIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final WhatsAppNumber NUMBER = TestPlatform.NUMBER;
  private static final String USER_WA_ID = "15557650042";
  private static final String CORE = "conversation-core";
  private static final Duration PATIENCE = Duration.ofSeconds(180);

  /** A first contact gets the disclosure line above the answer. */
  private static final String FIRST_REPLY =
      "_I'm Switchboard, an AI assistant. Our conversation may be reviewed for safety. Send"
          + " \"delete my data\" at any time to erase it._\n\npong";

  private static WireMockServer graphApi;
  private static Platform platform;

  @BeforeAll
  static void startPlatform() throws Exception {
    graphApi = GraphApiStandIn.start();
    platform = TestPlatform.start("core-crash", graphApi.baseUrl(), Map.of());
  }

  @AfterAll
  static void stopPlatform() throws Exception {
    if (platform != null) {
      platform.close();
    }
    if (graphApi != null) {
      graphApi.stop();
    }
  }

  @Test
  void coreKilledBetweenModelCallAndCommitLosesAndDuplicatesNothing() throws Exception {
    // A first turn, answered and with its offset committed: the crash happens mid-conversation.
    String firstWamid = "wamid.core-crash-1";
    post(firstWamid, "ping");
    assertEquals(FIRST_REPLY, body(awaitReplies(1, "the first reply").get(0)));
    Eventually.await(
        "the core to commit the first message's offset",
        PATIENCE,
        CoreCrashIT::committedInboundOffsets,
        committed -> committed >= 1);

    String crashedWamid = "wamid.core-crash-2";
    double chatCallsBefore = chatCallsAnswered();
    assertTrue(chatCallsBefore >= 1, "model-adapter's metrics count the first chat call");
    try (Connection locker = database()) {
      locker.setAutoCommit(false);
      try (Statement lock = locker.createStatement()) {
        lock.execute("LOCK TABLE core.turn IN SHARE MODE");
      }

      post(crashedWamid, "ping");
      Eventually.await(
          "model-adapter to answer the chat call",
          PATIENCE,
          CoreCrashIT::chatCallsAnswered,
          calls -> calls >= chatCallsBefore + 1);
      Eventually.await(
          "the core's insert into core.turn to wait for the test's lock",
          PATIENCE,
          CoreCrashIT::writersWaitingForTurnTable,
          waiting -> waiting >= 1);

      assertEquals(128 + 9, platform.kill(CORE), "the core ended by SIGKILL");
      assertFalse(platform.isRunning(CORE));
      locker.rollback();
    }
    assertEquals(1, textReplies().size(), "nothing was sent for the message before the crash");

    platform.restart(CORE);

    JsonNode reply = awaitReplies(2, "the reply after the restart").get(1);
    assertEquals(crashedWamid, reply.path("context").path("message_id").asText());
    assertEquals("pong", body(reply));
    Thread.sleep(5_000);
    assertEquals(2, textReplies().size(), "exactly one reply to each message, none repeated");
    assertEquals(
        List.of("user:ping", "assistant:pong"),
        Eventually.await(
            "the turn committed",
            PATIENCE,
            () -> turnsOf("wa:" + crashedWamid),
            turns -> turns.size() >= 2));

    // The conversation goes on normally, in order, after the crash.
    String nextWamid = "wamid.core-crash-3";
    post(nextWamid, "ping again");
    List<JsonNode> all = awaitReplies(3, "the reply to the next message");
    assertEquals(3, all.size());
    assertEquals(
        List.of(firstWamid, crashedWamid, nextWamid),
        all.stream().map(r -> r.path("context").path("message_id").asText()).toList());
    assertEquals("pong", body(all.get(2)));
    assertEquals(
        List.of(
            "user:ping",
            "assistant:" + FIRST_REPLY,
            "user:ping",
            "assistant:pong",
            "user:ping again",
            "assistant:pong"),
        Eventually.await(
            "all turns committed",
            PATIENCE,
            CoreCrashIT::turnsOfThisConversation,
            turns -> turns.size() >= 6));
    // Safety review, the other reader of what the core produced, got each turn once too.
    assertEquals(
        List.of("ping", "ping", "ping again"),
        Eventually.await(
            "the transcripts at safety review",
            PATIENCE,
            CoreCrashIT::transcriptsOfThisConversation,
            transcripts -> transcripts.size() >= 3));
  }

  private static List<JsonNode> awaitReplies(int count, String what) throws InterruptedException {
    return Eventually.await(what, PATIENCE, CoreCrashIT::textReplies, r -> r.size() >= count);
  }

  private static String body(JsonNode reply) {
    return reply.path("text").path("body").asText();
  }

  /** The sum of the core's committed offsets on conversation.inbound, from the broker. */
  private static long committedInboundOffsets() {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.devStack().kafkaBootstrapServers()))) {
      return admin
          .listConsumerGroupOffsets("conversation-core")
          .partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS)
          .entrySet()
          .stream()
          .filter(e -> e.getKey().topic().equals(Topics.INBOUND) && e.getValue() != null)
          .mapToLong(e -> e.getValue().offset())
          .sum();
    } catch (Exception e) {
      throw new AssertionError("Cannot read the core's committed offsets", e);
    }
  }

  /** The user text of each transcript safety review stored for this conversation, in order. */
  private static List<String> transcriptsOfThisConversation() {
    try (Connection connection = database();
        PreparedStatement statement =
            connection.prepareStatement(
                "select user_text_display from safety.transcript_turn where conversation_id ="
                    + " (select c.channel_key from core.conversation c join core.turn t on"
                    + " t.conversation_id = c.id where t.event_id = ? limit 1) order by"
                    + " turn_index")) {
      statement.setString(1, "wa:wamid.core-crash-1");
      List<String> texts = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          texts.add(rows.getString(1));
        }
      }
      return texts;
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static void post(String wamid, String text) throws Exception {
    byte[] body =
        SampleWebhook.textMessage(NUMBER.phoneNumberId(), USER_WA_ID, wamid, text, Instant.now());
    assertEquals(200, SampleWebhook.post(platform.whatsAppWebhookUrl(), body, NUMBER.appSecret()));
  }

  private static Connection database() throws SQLException {
    PostgresServer postgres = platform.devStack().postgres();
    return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
  }

  /** Sessions waiting to write (insert, update, delete) to core.turn. */
  private static int writersWaitingForTurnTable() {
    return queryInt(
        "select count(*) from pg_locks where relation = 'core.turn'::regclass and not granted"
            + " and mode = 'RowExclusiveLock'");
  }

  private static int queryInt(String sql) {
    try (Connection connection = database();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getInt(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** "role:text" of the turns recording or answering one inbound event, in turn order. */
  private static List<String> turnsOf(String eventId) {
    return turns(
        "select role, text from core.turn where event_id = ? order by turn_index", eventId);
  }

  /** "role:text" of every turn of the conversation the first message opened, in turn order. */
  private static List<String> turnsOfThisConversation() {
    return turns(
        "select role, text from core.turn where conversation_id = (select conversation_id from"
            + " core.turn where event_id = ? limit 1) order by turn_index",
        "wa:wamid.core-crash-1");
  }

  private static List<String> turns(String sql, String eventId) {
    try (Connection connection = database();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, eventId);
      List<String> turns = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          turns.add(rows.getString(1).toLowerCase() + ":" + rows.getString(2));
        }
      }
      return turns;
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** Chat requests model-adapter answered successfully, from its Prometheus metrics. */
  private static double chatCallsAnswered() {
    String url = "http://127.0.0.1:" + platform.ports().modelHttp() + "/q/metrics";
    String text;
    try {
      text =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    double total = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("switchboard_model_request_seconds_count{")
          && line.contains("capability=\"chat\"")
          && line.contains("outcome=\"ok\"")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  private static List<JsonNode> textReplies() {
    List<LoggedRequest> requests =
        graphApi.findAll(
            postRequestedFor(urlPathMatching(".*/messages"))
                .withRequestBody(matchingJsonPath("$.type", equalTo("text")))
                .withRequestBody(matchingJsonPath("$.to", equalTo(USER_WA_ID))));
    return requests.stream().map(CoreCrashIT::json).toList();
  }

  private static JsonNode json(LoggedRequest request) {
    try {
      return JSON.readTree(request.getBody());
    } catch (IOException e) {
      throw new AssertionError("The Graph API received a body that is not JSON", e);
    }
  }
}
