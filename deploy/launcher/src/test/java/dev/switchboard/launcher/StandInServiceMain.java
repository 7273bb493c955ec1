package dev.switchboard.launcher;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A stand-in for a packaged service, run as its own JVM by {@link ServiceProcessRestartTest}: it
 * answers {@code /q/health/ready} on {@code quarkus.http.port} and says on its output which
 * configuration it started with.
 */
public final class StandInServiceMain {
  private StandInServiceMain() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(System.getProperty("quarkus.http.port"));
    // What Quarkus does with quarkus.http.header: the launcher's readiness check looks for it.
    String instance =
        System.getProperty(
            "quarkus.http.header.\"" + ServiceProcess.INSTANCE_HEADER + "\".value", "");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext(
        "/q/health/ready",
        exchange -> {
          exchange.getResponseHeaders().add(ServiceProcess.INSTANCE_HEADER, instance);
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    System.out.println(
        "stand-in started with greeting "
            + System.getProperty("standin.greeting")
            + " and token "
            + System.getenv("STANDIN_TOKEN"));
  }
}
