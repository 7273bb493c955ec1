package dev.switchboard.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays Meta's Graph API for local runs without a real WhatsApp number: accepts the platform's
 * sends with the documented responses and prints each reply so a person can read it.
 */
final class GraphApiStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final PrintStream console;
  private final AtomicLong sent = new AtomicLong();

  private GraphApiStandIn(HttpServer server, PrintStream console) {
    this.server = server;
    this.console = console;
  }

  static GraphApiStandIn start(int port, PrintStream console) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    GraphApiStandIn standIn = new GraphApiStandIn(server, console);
    server.createContext("/", standIn::handle);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    return standIn;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())
          || !exchange.getRequestURI().getPath().endsWith("/messages")) {
        respond(exchange, 404, "{\"error\":{\"message\":\"Unknown path\",\"code\":100}}");
        return;
      }
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      if ("read".equals(body.path("status").asText())) {
        respond(exchange, 200, "{\"success\":true}");
        return;
      }
      String to = body.path("to").asText();
      String wamid = "wamid.local-" + sent.incrementAndGet();
      console.println("graph-api| reply to " + masked(to) + ": " + describe(body));
      ObjectNode response = JSON.createObjectNode().put("messaging_product", "whatsapp");
      response.putArray("contacts").addObject().put("input", to).put("wa_id", to);
      response.putArray("messages").addObject().put("id", wamid);
      respond(exchange, 200, JSON.writeValueAsString(response));
    }
  }

  private static String describe(JsonNode body) {
    String type = body.path("type").asText();
    if ("text".equals(type)) {
      return body.path("text").path("body").asText();
    }
    return "(" + type + ") " + body.path(type);
  }

  /** Shows only the last two digits: numbers stay out of logs even on a laptop. */
  private static String masked(String number) {
    int keep = Math.min(2, number.length());
    return "*".repeat(number.length() - keep) + number.substring(number.length() - keep);
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
