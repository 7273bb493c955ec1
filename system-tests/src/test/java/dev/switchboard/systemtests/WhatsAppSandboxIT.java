package dev.switchboard.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.launcher.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Wait;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The local WhatsApp sandbox in a real browser: a person types as a WhatsApp user and sees the
 * platform's answer, with the ticks Meta would show; hostile text stays text.
 */
class WhatsAppSandboxIT {
  private static Platform platform;
  private static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    platform = TestPlatform.start("platform-sandbox", null, Map.of());
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
  }

  @Test
  void personTypesAndSeesTheAnswerAndHostileTextStaysText() throws Exception {
    browser.get(platform.sandboxUrl().orElseThrow() + "?from=15550009999");
    send("ping");
    // The page refreshes its conversation every second, so elements can go stale under us.
    Wait<WebDriver> wait =
        new WebDriverWait(browser, Duration.ofSeconds(60))
            .ignoring(StaleElementReferenceException.class);
    wait.until(b -> assistantTexts().stream().anyMatch(text -> text.endsWith("pong")));
    wait.until(b -> statusOfLastAssistantLine().equals("delivered"));

    String hostile =
        "<img src=x onerror=\"document.title='owned'\"><script>document.title='owned'</script>";
    send(hostile);
    wait.until(b -> userTexts().contains(hostile));
    wait.until(b -> assistantTexts().size() >= 2);
    assertTrue(browser.findElements(By.cssSelector("#chat img, #chat script")).isEmpty());
    assertEquals("Switchboard WhatsApp sandbox", browser.getTitle());

    Path screenshots = Files.createDirectories(Path.of("target/screenshots"));
    Files.write(
        screenshots.resolve("whatsapp-sandbox.png"), browser.getScreenshotAs(OutputType.BYTES));
  }

  private static void send(String text) {
    WebElement input = browser.findElement(By.id("text"));
    input.clear();
    input.sendKeys(text);
    WebElement button = browser.findElement(By.id("send"));
    button.click();
    // The form posts and the page reloads; wait for the new page before looking at it.
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(Chromium.replaced(button));
  }

  private static List<String> userTexts() {
    return browser.findElements(By.cssSelector("#chat li.user .text")).stream()
        .map(WebElement::getText)
        .toList();
  }

  private static List<String> assistantTexts() {
    return browser.findElements(By.cssSelector("#chat li.assistant .text")).stream()
        .map(WebElement::getText)
        .toList();
  }

  private static String statusOfLastAssistantLine() {
    List<WebElement> statuses = browser.findElements(By.cssSelector("#chat li.assistant .status"));
    return statuses.isEmpty() ? "" : statuses.get(statuses.size() - 1).getText();
  }
}
