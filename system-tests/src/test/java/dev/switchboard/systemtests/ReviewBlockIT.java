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
import dev.switchboard.launcher.Platform;
import dev.switchboard.launcher.PlatformOptions.WhatsAppNumber;
import dev.switchboard.launcher.SampleWebhook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A safety reviewer's block reaches the person, across the real packaged services: a person sends a
 * threat on WhatsApp, model-adapter's local classifier flags it, safety-review opens a case, a
 * reviewer logs in with the launcher's first admin login in a real Chromium, claims the case and
 * blocks the person; the person's next message gets the core's fixed reply instead of a model
 * answer, and another person is still answered. Password guessing at that login is locked out.
 */
class ReviewBlockIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final WhatsAppNumber NUMBER = TestPlatform.NUMBER;
  private static final Duration PIPELINE_WAIT = Duration.ofSeconds(120);

  private static final String OFFENDER_WA_ID = "15557650101";
  private static final String BYSTANDER_WA_ID = "15557650202";

  /**
   * Flagged by the local rules (harassment/threatening: "i know where you live", "i'm going to hurt
   * you"; violence: "i'm going to hurt"), which is not a severe category, so no automatic block:
   * the block below is the reviewer's.
   */
  private static final String THREAT = "I know where you live and I'm going to hurt you";

  /** conversation-core's default {@code switchboard.core.texts.blocked}, name filled in. */
  private static final String BLOCKED_REPLY =
      "Sorry, your access to Switchboard is paused after a safety review. Please try again later.";

  private static final Pattern APPLIED_BLOCKS =
      Pattern.compile(
          "^switchboard_core_enforcement_applied_total\\{[^}]*action=\"block\"[^}]*\\}\\s+([0-9.]+)",
          Pattern.MULTILINE);

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static WireMockServer graphApi;
  private static Platform platform;
  private static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    graphApi = GraphApiStandIn.start();
    platform = TestPlatform.start("platform-review-block", graphApi.baseUrl(), Map.of());
    browser = Chromium.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (platform != null) {
      platform.close();
    }
    if (graphApi != null) {
      graphApi.stop();
    }
  }

  @Test
  void reviewersBlockReachesTheCoreAndThePersonGetsTheFixedReply() throws Exception {
    // 1. The person writes something the classifier flags; the assistant still answers this once.
    send(OFFENDER_WA_ID, "wamid.review-block-threat", THREAT);
    String firstAnswer = awaitReplyTo("wamid.review-block-threat");
    assertFalse(firstAnswer.contains(BLOCKED_REPLY), "nobody is blocked yet: " + firstAnswer);

    // 2. A reviewer logs in with the first admin login the launcher hands out and sees the case.
    logIn("admin", platform.reviewerAdminPassword());
    awaitOpenCases("STANDARD", 1);
    screenshot("review-block-queues.png");

    // 3. They claim it, read it, and block the person for 24 hours.
    clickAndWaitForPage(By.id("next-STANDARD"), "/cases/");
    String meta = browser.findElement(By.id("case-meta")).getText();
    assertTrue(meta.contains("Channel: whatsapp"), meta);
    assertTrue(meta.contains("Category: harassment/threatening"), meta);
    assertTrue(meta.contains("Claimed by admin"), meta);
    List<String> userTexts =
        browser.findElements(By.cssSelector("#conversation .user-text")).stream()
            .map(e -> e.getAttribute("textContent"))
            .toList();
    assertEquals(List.of(THREAT), userTexts, "the case shows what the person wrote");
    screenshot("review-block-case.png");

    double appliedBefore = appliedBlocksAtCore();
    browser.findElement(By.id("d-violation")).click();
    new Select(browser.findElement(By.id("category"))).selectByValue("harassment/threatening");
    new Select(browser.findElement(By.id("enforcement"))).selectByValue("BLOCK_24H");
    browser.findElement(By.id("notes")).sendKeys("Threatened to hurt someone at their home.");
    clickAndWaitForPage(By.id("decide"), "/queues");
    assertEquals("Decision saved.", browser.findElement(By.id("notice")).getText());
    assertEquals("0", cell("STANDARD", "open"), "the case is closed");

    // 4. The core has taken the block in (its own metric), so the very next message is refused.
    Eventually.await(
        "the core to apply the reviewer's block",
        PIPELINE_WAIT,
        ReviewBlockIT::appliedBlocksAtCore,
        applied -> applied > appliedBefore);
    send(OFFENDER_WA_ID, "wamid.review-block-after", "ping");
    assertEquals(BLOCKED_REPLY, awaitReplyTo("wamid.review-block-after"));

    // Another person is answered by the model as usual.
    send(BYSTANDER_WA_ID, "wamid.review-block-bystander", "ping");
    String bystanderAnswer = awaitReplyTo("wamid.review-block-bystander");
    assertTrue(bystanderAnswer.endsWith("\n\npong"), bystanderAnswer);

    // The blocked person got exactly one reply per message, and never a model answer after the
    // block (the scripted model would have said "pong").
    List<String> toOffender = textsTo(OFFENDER_WA_ID);
    assertEquals(List.of(firstAnswer, BLOCKED_REPLY), toOffender);
  }

  @Test
  void passwordGuessingAtTheReviewerLoginIsLockedOut() throws Exception {
    // An unknown name is counted like a real one, so the lockout says nothing about who exists.
    // Five failures (the default) stay well under the per-address limit, so the reviewer above
    // can still log in from this machine whatever order the tests run in.
    for (int i = 1; i <= 5; i++) {
      HttpResponse<String> wrong = postLogin("intruder", "guess-number-" + i);
      assertEquals(401, wrong.statusCode(), "guess " + i);
    }
    HttpResponse<String> locked = postLogin("intruder", "guess-number-6");
    assertEquals(429, locked.statusCode());
    assertTrue(locked.body().contains("Too many failed log-ins"), locked.body());
    long retryAfter = Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter > 0 && retryAfter <= 900, "Retry-After " + retryAfter);
    assertTrue(
        locked.headers().allValues("Set-Cookie").stream()
            .noneMatch(c -> c.startsWith("sb_session=")),
        "no session for a locked account");
  }

  @Test
  void theFirstAdminPasswordIsOnNoServiceCommandLine() {
    // Command lines are visible to every local user (ps, /proc/<pid>/cmdline).
    List<String> services =
        ProcessHandle.current()
            .descendants()
            .map(p -> p.info().commandLine().orElse(""))
            .filter(line -> line.contains("quarkus-run.jar"))
            .toList();
    assertTrue(
        services.stream().anyMatch(line -> line.contains("safety-review")),
        "safety-review runs as a child process: " + services);
    String password = platform.reviewerAdminPassword();
    for (String line : services) {
      assertFalse(line.contains(password), "the admin password is on a command line");
    }
  }

  private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  /**
   * Submits the served login form over plain HTTP, carrying its CSRF field and cookie by hand (the
   * cookie is Secure, which Java's cookie store only returns over HTTPS).
   */
  private static HttpResponse<String> postLogin(String username, String password)
      throws IOException, InterruptedException {
    URI login = URI.create(platform.reviewerUiUrl() + "login");
    HttpResponse<String> form =
        HTTP.send(HttpRequest.newBuilder(login).build(), HttpResponse.BodyHandlers.ofString());
    Matcher csrf = CSRF_FIELD.matcher(form.body());
    assertTrue(csrf.find(), "the login form carries a CSRF field");
    String cookie =
        form.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("sb_login_csrf="))
            .map(c -> c.substring(0, c.indexOf(';')))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no login CSRF cookie"));
    String body =
        "username="
            + URLEncoder.encode(username, StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8)
            + "&csrf="
            + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
    return HTTP.send(
        HttpRequest.newBuilder(login)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Cookie", cookie)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void send(String waId, String wamid, String text)
      throws IOException, InterruptedException {
    byte[] body =
        SampleWebhook.textMessage(NUMBER.phoneNumberId(), waId, wamid, text, Instant.now());
    assertEquals(
        200,
        SampleWebhook.post(platform.whatsAppWebhookUrl(), body, NUMBER.appSecret()),
        "the webhook takes the signed message");
  }

  /** The text body the Graph API stand-in received in reply to one inbound message. */
  private static String awaitReplyTo(String wamid) throws InterruptedException {
    List<JsonNode> replies =
        Eventually.await(
            "a reply to " + wamid + " at the Graph API",
            PIPELINE_WAIT,
            () -> repliesTo(wamid),
            found -> !found.isEmpty());
    assertEquals(1, replies.size(), "one reply to " + wamid);
    return replies.get(0).path("text").path("body").asText();
  }

  private static List<JsonNode> repliesTo(String wamid) {
    return graphApi
        .findAll(
            postRequestedFor(urlPathMatching(".*/messages"))
                .withRequestBody(matchingJsonPath("$.type", equalTo("text")))
                .withRequestBody(matchingJsonPath("$.context.message_id", equalTo(wamid))))
        .stream()
        .map(ReviewBlockIT::json)
        .toList();
  }

  private static List<String> textsTo(String waId) {
    return graphApi
        .findAll(
            postRequestedFor(urlPathMatching(".*/messages"))
                .withRequestBody(matchingJsonPath("$.type", equalTo("text")))
                .withRequestBody(matchingJsonPath("$.to", equalTo(waId))))
        .stream()
        .map(ReviewBlockIT::json)
        .map(body -> body.path("text").path("body").asText())
        .toList();
  }

  private static JsonNode json(LoggedRequest request) {
    try {
      return JSON.readTree(request.getBody());
    } catch (IOException e) {
      throw new AssertionError("The Graph API received a body that is not JSON", e);
    }
  }

  private static void logIn(String username, String password) {
    browser.get(platform.reviewerUiUrl() + "login");
    browser.findElement(By.id("username")).sendKeys(username);
    browser.findElement(By.id("password")).sendKeys(password);
    clickAndWaitForPage(By.id("login"), "/queues");
  }

  /** Reloads the queue page, as a reviewer would, until the queue holds enough open cases. */
  private static void awaitOpenCases(String queue, int atLeast) throws InterruptedException {
    Eventually.await(
        atLeast + " open case(s) in " + queue + " on the queue page",
        PIPELINE_WAIT,
        () -> {
          browser.get(platform.reviewerUiUrl() + "queues");
          return Integer.parseInt(cell(queue, "open"));
        },
        open -> open >= atLeast);
  }

  private static String cell(String queue, String column) {
    return browser.findElement(By.cssSelector("#queue-" + queue + " ." + column)).getText();
  }

  /** Submits a form and waits for the page it leads to, so nothing is read from the old one. */
  private static void clickAndWaitForPage(By button, String pathPart) {
    WebElement old = browser.findElement(By.tagName("html"));
    browser.findElement(button).click();
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    wait.until(Chromium.replaced(old));
    wait.until(ExpectedConditions.urlContains(pathPart));
  }

  /** How many blocks conversation-core has applied, from its Prometheus endpoint. */
  private static double appliedBlocksAtCore() {
    HttpResponse<String> response;
    try {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + platform.ports().coreHttp() + "/q/metrics"))
              .timeout(Duration.ofSeconds(10))
              .build();
      response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("conversation-core's metrics are unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    assertEquals(200, response.statusCode(), "conversation-core's metrics endpoint");
    Matcher m = APPLIED_BLOCKS.matcher(response.body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static void screenshot(String name) throws IOException {
    Path screenshots = Files.createDirectories(Path.of("target/screenshots"));
    Files.write(screenshots.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
  }
}
