package dev.switchboard.launcher.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.launcher.SampleWebhook;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays Meta for local runs without a real WhatsApp number. It is the Graph API the platform sends
 * to (documented responses, then signed status webhooks: sent, delivered), and the sandbox page
 * where a person types as a WhatsApp user (each message becomes a signed webhook).
 */
public final class MetaStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEFAULT_USER = "15551234567";
  private static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
          + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private final HttpServer server;
  private final PrintStream console;
  private final WebhookTarget webhook;
  private final ChatLog chat = new ChatLog();
  private final AtomicLong sent = new AtomicLong();
  private final String csrfToken = randomToken();
  private final ScheduledExecutorService statuses = Executors.newSingleThreadScheduledExecutor();

  /** Where the platform's webhook listens and how webhooks to it are signed. */
  public record WebhookTarget(String url, String phoneNumberId, String appSecret) {}

  private MetaStandIn(HttpServer server, PrintStream console, WebhookTarget webhook) {
    this.server = server;
    this.console = console;
    this.webhook = webhook;
  }

  public static MetaStandIn start(int port, PrintStream console, WebhookTarget webhook)
      throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    MetaStandIn standIn = new MetaStandIn(server, console, webhook);
    server.createContext("/", standIn::route);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    return standIn;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void route(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if ("POST".equals(method) && path.endsWith("/messages")) {
        graphSend(exchange);
      } else if ("GET".equals(method) && "/".equals(path)) {
        page(exchange);
      } else if ("GET".equals(method) && "/conversation".equals(path)) {
        conversation(exchange);
      } else if ("POST".equals(method) && "/send".equals(path)) {
        userSends(exchange);
      } else if ("GET".equals(method) && "/sandbox.js".equals(path)) {
        respond(exchange, 200, "text/javascript", SandboxPage.SCRIPT);
      } else if ("GET".equals(method) && "/sandbox.css".equals(path)) {
        respond(exchange, 200, "text/css", SandboxPage.STYLE);
      } else {
        respond(exchange, 404, "application/json", "{\"error\":{\"message\":\"Unknown path\"}}");
      }
    } catch (RuntimeException e) {
      console.println("sandbox  | error: " + e.getMessage());
      respond(exchange, 500, "text/plain", "Internal error");
    }
  }

  /** The Graph API's POST /{version}/{phone-number-id}/messages. */
  private void graphSend(HttpExchange exchange) throws IOException {
    JsonNode body = JSON.readTree(exchange.getRequestBody());
    if ("read".equals(body.path("status").asText())) {
      chat.updateStatus(body.path("message_id").asText(), "read");
      respond(exchange, 200, "application/json", "{\"success\":true}");
      return;
    }
    String to = body.path("to").asText();
    String wamid = "wamid.local-" + sent.incrementAndGet();
    String text = describe(body);
    chat.add(new ChatLog.Line(wamid, to, ChatLog.Author.ASSISTANT, text, "sent", Instant.now()));
    console.println("graph-api| reply to " + masked(to) + ": " + text);
    ObjectNode response = JSON.createObjectNode().put("messaging_product", "whatsapp");
    response.putArray("contacts").addObject().put("input", to).put("wa_id", to);
    response.putArray("messages").addObject().put("id", wamid);
    respond(exchange, 200, "application/json", JSON.writeValueAsString(response));
    statuses.schedule(() -> reportStatus(wamid, to, "sent"), 100, TimeUnit.MILLISECONDS);
    statuses.schedule(() -> reportStatus(wamid, to, "delivered"), 400, TimeUnit.MILLISECONDS);
  }

  private void reportStatus(String wamid, String to, String status) {
    chat.updateStatus(wamid, status);
    byte[] body =
        SampleWebhook.statusUpdate(webhook.phoneNumberId(), wamid, status, to, Instant.now());
    try {
      int code = SampleWebhook.post(webhook.url(), body, webhook.appSecret());
      if (code != 200) {
        console.println("sandbox  | status webhook answered " + code);
      }
    } catch (IOException e) {
      console.println("sandbox  | status webhook failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void page(HttpExchange exchange) throws IOException {
    String user = query(exchange).getOrDefault("from", DEFAULT_USER);
    if (!isWaId(user)) {
      user = DEFAULT_USER;
    }
    exchange.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    respond(exchange, 200, "text/html", SandboxPage.render(user, chat.of(user), csrfToken));
  }

  private void conversation(HttpExchange exchange) throws IOException {
    String user = query(exchange).getOrDefault("from", DEFAULT_USER);
    ArrayNode lines = JSON.createArrayNode();
    for (ChatLog.Line line : chat.of(user)) {
      lines
          .addObject()
          .put("author", line.author().name())
          .put("text", line.text())
          .put("status", line.status());
    }
    respond(exchange, 200, "application/json", JSON.writeValueAsString(lines));
  }

  /** The sandbox form: the person's message becomes a signed webhook, as Meta would send it. */
  private void userSends(HttpExchange exchange) throws IOException {
    Map<String, String> form =
        parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    String from = form.getOrDefault("from", "");
    String text = form.getOrDefault("text", "").strip();
    if (!constantTimeEquals(csrfToken, form.getOrDefault("csrf", ""))) {
      respond(exchange, 403, "text/plain", "Missing or wrong CSRF token");
      return;
    }
    if (!isWaId(from) || text.isEmpty() || text.length() > 4096) {
      respond(exchange, 400, "text/plain", "Need a number (digits only) and a message");
      return;
    }
    String wamid = "wamid.sandbox-" + UUID.randomUUID();
    chat.add(new ChatLog.Line(wamid, from, ChatLog.Author.USER, text, "sent", Instant.now()));
    byte[] body =
        SampleWebhook.textMessage(webhook.phoneNumberId(), from, wamid, text, Instant.now());
    int status;
    try {
      status = SampleWebhook.post(webhook.url(), body, webhook.appSecret());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = 503;
    }
    chat.updateStatus(wamid, status == 200 ? "delivered" : "not accepted (" + status + ")");
    exchange.getResponseHeaders().set("Location", "/?from=" + from);
    respond(exchange, 303, "text/plain", "");
  }

  private static String describe(JsonNode body) {
    String type = body.path("type").asText();
    return switch (type) {
      case "text" -> body.path("text").path("body").asText();
      case "template" -> "[template " + body.path("template").path("name").asText() + "]";
      default -> "[" + type + "] " + body.path(type);
    };
  }

  private static boolean isWaId(String value) {
    return value.matches("[1-9][0-9]{6,14}");
  }

  /** Shows only the last two digits: numbers stay out of logs even on a laptop. */
  private static String masked(String number) {
    int keep = Math.min(2, number.length());
    return "*".repeat(number.length() - keep) + number.substring(number.length() - keep);
  }

  private static Map<String, String> query(HttpExchange exchange) {
    String raw = exchange.getRequestURI().getRawQuery();
    return raw == null ? Map.of() : parseForm(raw);
  }

  private static Map<String, String> parseForm(String encoded) {
    Map<String, String> values = new HashMap<>();
    for (String pair : encoded.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        values.put(
            URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return values;
  }

  private static boolean constantTimeEquals(String expected, String actual) {
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
  }

  private static String randomToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    statuses.shutdownNow();
    server.stop(0);
  }
}
