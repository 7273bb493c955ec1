package dev.switchboard.launcher;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * The one-machine launcher.
 *
 * <ul>
 *   <li>{@code run} (default): starts everything, prints where to call, message and review, and
 *       streams the log until Ctrl-C, which stops everything cleanly.
 *   <li>{@code send TEXT [FROM]}: sends a signed sample WhatsApp webhook to a running platform.
 * </ul>
 */
public final class Main {
  private static final String SAMPLE_SENDER = "15551234567";

  private Main() {}

  public static void main(String[] args) throws Exception {
    ConsoleLogging.configure();
    Path home = Path.of(System.getProperty("switchboard.home", ".")).toAbsolutePath().normalize();
    Map<String, String> env = System.getenv();
    String command = args.length == 0 ? "run" : args[0];
    switch (command) {
      case "run" -> run(PlatformOptions.forCommandLine(home, env));
      case "send" -> send(PlatformOptions.forCommandLine(home, env), args);
      default -> {
        System.err.println("usage: switchboard [run | send TEXT [FROM_WA_ID]]");
        System.exit(2);
      }
    }
  }

  private static void run(PlatformOptions options) throws Exception {
    long started = System.nanoTime();
    Platform platform = Platform.start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("launcher | stopping");
                  try {
                    platform.close();
                  } catch (Exception e) {
                    System.err.println("launcher | error while stopping: " + e.getMessage());
                  }
                  System.out.println("launcher | stopped");
                  stopped.countDown();
                },
                "launcher-shutdown"));
    System.out.println(banner(platform, (System.nanoTime() - started) / 1_000_000_000.0));
    stopped.await();
  }

  static String banner(Platform platform, double seconds) {
    PlatformOptions.WhatsAppNumber number = platform.options().whatsApp();
    String graph =
        platform.usesGraphApiStandIn()
            ? platform.graphBaseUrl() + " (local stand-in: replies print as 'graph-api|')"
            : platform.graphBaseUrl();
    return String.format(
        """

        ================================================================
         Switchboard is up (%.1f s). Ctrl-C stops everything.

         Call the assistant      %s  (UDP and TCP)
         WhatsApp webhook        %s
           verify token          %s
         Graph API               %s
         WhatsApp sandbox        %s
         Reviewer UI             %s
           first login           admin / %s
         Send a sample message   ./switchboard send "ping"
         Logs                    %s
        ================================================================
        """,
        seconds,
        platform.sipUri(),
        platform.whatsAppWebhookUrl(),
        number.verifyToken(),
        graph,
        platform.sandboxUrl().orElse("(off: a real WhatsApp number is configured)"),
        platform.reviewerUiUrl(),
        platform.reviewerAdminPassword(),
        platform.options().dataDir().resolve("logs"));
  }

  private static void send(PlatformOptions options, String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: switchboard send TEXT [FROM_WA_ID]");
      System.exit(2);
    }
    String from = args.length > 2 ? args[2] : SAMPLE_SENDER;
    PlatformOptions.WhatsAppNumber number = options.whatsApp();
    byte[] body =
        SampleWebhook.textMessage(
            number.phoneNumberId(),
            from,
            "wamid.sample-" + UUID.randomUUID(),
            args[1],
            Instant.now());
    String url = "http://127.0.0.1:" + PlatformPorts.fixed().whatsAppHttp() + "/webhooks/whatsapp";
    int status = SampleWebhook.post(url, body, number.appSecret());
    System.out.println("POST " + url + " -> " + status);
    System.exit(status == 200 ? 0 : 1);
  }
}
