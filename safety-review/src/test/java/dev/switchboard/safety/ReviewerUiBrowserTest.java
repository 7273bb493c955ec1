package dev.switchboard.safety;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.EnforcementAction;
import dev.switchboard.devstack.DevStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The reviewer UI in real Chromium: the whole review of a hostile conversation. */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(ModelGatewayStandIn.class)
class ReviewerUiBrowserTest {
  private static final String ADMIN_PASSWORD = "test-admin-password-0001";
  private static final String SCRIPT_TEXT = "<script>window.__pwned = 1</script> I will hurt you";
  private static final String IMG_TEXT = "<img src=x onerror=\"window.__pwned = 2\"> call me";
  private static final String PHONE_TEXT = "my number is +1 415 555 0132, I hate you";

  @TestHTTPResource("/")
  URL base;

  private ChromeDriver browser;

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  private String url(String path) {
    return base.toString().replaceAll("/$", "") + path;
  }

  /** Clicks a submit button and waits for the next page, so no element of the old one is used. */
  private void submit(By button) {
    WebElement element = browser.findElement(button);
    element.click();
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(Browser.replaced(element));
  }

  private void logIn(String user, String password) {
    browser.manage().deleteAllCookies();
    browser.get(url("/"));
    browser.findElement(By.id("username")).sendKeys(user);
    browser.findElement(By.id("password")).sendKeys(password);
    submit(By.id("login"));
  }

  private void createUser(String name, String password, String role) {
    browser.get(url("/admin/users"));
    browser.findElement(By.id("new-username")).sendKeys(name);
    browser.findElement(By.id("new-password")).sendKeys(password);
    new Select(browser.findElement(By.id("new-role"))).selectByVisibleText(role);
    submit(By.id("create"));
    assertThat(browser.findElement(By.id("accounts")).getText()).contains(name);
  }

  @Test
  void reviewerClaimsLeadRevealsAndBlocksWhileHostileTextStaysInert() throws Exception {
    browser = Browser.start();
    String suffix = UUID.randomUUID().toString().substring(0, 6);
    String reviewer = "rev-" + suffix;
    String lead = "lead-" + suffix;
    String password = "browser-password-" + suffix;

    // Admin creates the team through the admin page.
    logIn("admin", ADMIN_PASSWORD);
    assertThat(browser.getCurrentUrl()).endsWith("/queues");
    createUser(reviewer, password, "reviewer");
    createUser(lead, password, "lead");

    // A hostile conversation arrives and is flagged.
    TestDb.closeAllOpenCases();
    String conversation = "wa:" + UUID.randomUUID();
    String subject = "subj-browser-" + suffix;
    List<String> texts = List.of(SCRIPT_TEXT, IMG_TEXT, PHONE_TEXT);
    String last = null;
    for (int i = 0; i < texts.size(); i++) {
      var turn = TestTurns.turn(conversation, i, subject, texts.get(i), "I can't help with that.");
      TestKafka.send(Topics.SAFETY_TRANSCRIPTS, conversation, turn.toByteArray());
      last = turn.getEventId();
    }
    TestDb.awaitClassified(last);
    long caseId = TestDb.openCase(conversation).orElseThrow().id;

    // The reviewer logs in, sees the queue and claims the case.
    logIn(reviewer, password);
    WebElement standard = browser.findElement(By.id("queue-STANDARD"));
    assertThat(standard.findElement(By.className("open")).getText()).isEqualTo("1");
    Browser.screenshot(browser, "01-queues");
    submit(By.id("next-STANDARD"));
    assertThat(browser.getCurrentUrl()).endsWith("/cases/" + caseId);
    Browser.screenshot(browser, "02-case-blurred");

    // Hostile markup is shown as text and executes nothing.
    WebElement conversationView = browser.findElement(By.id("conversation"));
    assertThat(conversationView.getText()).contains("<script>window.__pwned = 1</script>");
    assertThat(conversationView.getText()).contains("<img src=x onerror=\"window.__pwned = 2\">");
    assertThat(conversationView.findElements(By.tagName("script"))).isEmpty();
    assertThat(conversationView.findElements(By.tagName("img"))).isEmpty();
    assertThat(browser.executeScript("return typeof window.__pwned")).isEqualTo("undefined");
    // The phone number is redacted for the reviewer.
    assertThat(conversationView.getText()).contains("my number is [PHONE]").doesNotContain("555");

    // Wellness: flagged text is blurred until clicked.
    WebElement blurred = browser.findElements(By.cssSelector(".blurred")).get(0);
    assertThat(blurred.getCssValue("filter")).contains("blur");
    blurred.click();
    assertThat(blurred.getCssValue("filter")).isEqualTo("none");
    assertThat(browser.findElement(By.className("who")).getText()).contains("1 flagged views");

    // The reviewer has no reveal button and is refused on admin URLs.
    assertThat(browser.findElements(By.id("reveal"))).isEmpty();
    String reviewerSession = browser.manage().getCookieNamed("sb_session").getValue();
    browser.get(url("/admin/users"));
    assertThat(browser.findElements(By.id("create-user"))).isEmpty();
    assertThat(browser.findElements(By.id("accounts"))).isEmpty();
    Browser.screenshot(browser, "03-reviewer-refused-admin");
    given().cookie("sb_session", reviewerSession).get("/admin/users").then().statusCode(403);

    // The reviewer escalates to a lead.
    browser.get(url("/cases/" + caseId));
    browser.findElement(By.id("d-escalate")).click();
    browser.findElement(By.id("notes")).sendKeys("Threats plus a phone number; needs a lead.");
    submit(By.id("decide"));
    assertThat(browser.findElement(By.id("notice")).getText()).contains("Decision saved");

    // The lead takes the escalated case, reveals with a justification and blocks for 7 days.
    logIn(lead, password);
    submit(By.id("next-ESCALATED"));
    assertThat(browser.getCurrentUrl()).endsWith("/cases/" + caseId);
    browser.findElement(By.id("reveal")).click(); // empty justification: the browser refuses
    assertThat(browser.findElements(By.id("revealed-banner"))).isEmpty();
    browser
        .findElement(By.id("justification"))
        .sendKeys("Need the number to check a threat pattern across reports");
    submit(By.id("reveal"));
    assertThat(browser.findElement(By.id("revealed-banner")).isDisplayed()).isTrue();
    assertThat(browser.findElement(By.id("conversation")).getText())
        .contains("my number is +1 415 555 0132");
    assertThat(browser.executeScript("return typeof window.__pwned")).isEqualTo("undefined");
    Browser.screenshot(browser, "04-case-revealed-by-lead");

    try (KafkaConsumer<String, byte[]> enforcement =
        TestKafka.consumerFromStart(Topics.SAFETY_ENFORCEMENT)) {
      browser.findElement(By.id("d-violation")).click();
      new Select(browser.findElement(By.id("category"))).selectByValue("harassment/threatening");
      new Select(browser.findElement(By.id("enforcement"))).selectByValue("BLOCK_7D");
      browser.findElement(By.id("notes")).sendKeys("Repeated threats.");
      submit(By.id("decide"));
      assertThat(browser.findElement(By.id("notice")).getText()).contains("Decision saved");
      Browser.screenshot(browser, "05-queues-after-decision");

      ConsumerRecord<String, byte[]> r =
          TestKafka.awaitKey(enforcement, subject, Duration.ofSeconds(30));
      assertThat(r).as("block published for " + subject).isNotNull();
      EnforcementAction action = EnforcementAction.parseFrom(r.value());
      assertThat(action.getAction()).isEqualTo(EnforcementAction.Action.ACTION_BLOCK);
      assertThat(action.getCategory()).isEqualTo("harassment/threatening");
      Instant until = Instant.ofEpochSecond(action.getBlockedUntil().getSeconds());
      assertThat(Duration.between(Instant.now(), until).toHours()).isBetween(167L, 168L);
    }
    var decided = TestDb.caseById(caseId);
    assertThat(decided.status).isEqualTo("CLOSED");
    assertThat(decided.decidedBy).isEqualTo(lead);

    // The admin's audit page shows the chain intact, including the reveal.
    logIn("admin", ADMIN_PASSWORD);
    browser.get(url("/admin/audit"));
    assertThat(browser.findElement(By.id("chain-status")).getText()).contains("Chain intact");
    assertThat(browser.findElement(By.id("audit")).getText())
        .contains("case.reveal")
        .contains("enforcement.human");
    Browser.screenshot(browser, "06-audit");
  }
}
