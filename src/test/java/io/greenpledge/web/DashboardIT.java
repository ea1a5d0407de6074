package io.greenpledge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.Gateway;
import io.greenpledge.support.Http;
import io.greenpledge.support.TestSettings;
import io.greenpledge.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The big screen in a real headless Chromium (Debian's chromium and chromedriver, installed by
 * .ci/run): signs in through the demo link, sees prices move, a pledge change colour when a price
 * shock crosses its line, the alert in the ticker, and the English switch. Leaves a screenshot in
 * target/dashboard.png.
 */
class DashboardIT {

  @TempDir static Path dataDir;
  static Gateway gateway;
  static Http http;
  static Tokens tokens;
  static WebDriver browser;
  static long seq;

  @BeforeAll
  static void start() throws Exception {
    gateway = Gateway.start(TestSettings.with(dataDir, "GP_FEEDS", "ingest", "GP_DEMO", "false"));
    http = new Http(gateway.httpPort());
    tokens = Tokens.local(dataDir);
    ChromeOptions options =
        new ChromeOptions()
            .setBinary("/usr/bin/chromium")
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1920,1080",
                "--user-data-dir=" + Files.createTempDirectory("chromium"));
    browser =
        new ChromeDriver(
            new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .build(),
            options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    gateway.close();
  }

  static void trade(double price) {
    JsonObject tick =
        new JsonObject()
            .put("instrument", "CEA")
            .put("price", price)
            .put("quantity", 100)
            .put("ts", Instant.now().toString())
            .put("seq", ++seq);
    http.post(
        "/api/v1/ticks",
        tokens.token("vendor", null, "feed"),
        new JsonObject().put("ticks", new JsonArray().add(tick)).encode());
  }

  private static WebDriverWait waiting() {
    return new WebDriverWait(browser, Duration.ofSeconds(15));
  }

  @Test
  void aRiskDeskWatchesItsBookLive() throws Exception {
    // 10,000 t of CEA against 500,000 CNY at the last trade: coverage = price / 50.
    JsonObject body =
        new JsonObject()
            .put("borrower", "重庆示范化工")
            .put("borrowerCode", "91350100M000100Y43")
            .put("loanId", "L-1")
            .put("instrument", "CEA")
            .put("quantity", 10_000)
            .put("certificate", "C-1")
            .put("outstanding", 500_000)
            .put("markBasis", "LAST");
    String pledgeId =
        http.post("/api/v1/pledges", tokens.token("admin", "BANK-D", "risk-admin"), body.encode())
            .json()
            .getString("id");
    trade(72.00);

    browser.get(
        "http://127.0.0.1:"
            + gateway.httpPort()
            + "/#token="
            + tokens.token("desk", "BANK-D", "viewer"));
    waiting().until(ExpectedConditions.attributeToBe(By.id("conn-state"), "data-state", "up"));
    assertEquals("环境权益质押风险看板", browser.findElement(By.id("title")).getText());
    assertEquals(9, browser.findElements(By.cssSelector("#prices .price-card")).size());
    By ceaMark = By.cssSelector(".price-card[data-instrument='CEA'] .mark");
    waiting().until(ExpectedConditions.textToBe(ceaMark, "72.00"));
    // The token came in the fragment and left the address bar at once.
    assertTrue(!browser.getCurrentUrl().contains("token="), browser.getCurrentUrl());

    trade(71.00); // coverage 1.42: healthy
    waiting().until(ExpectedConditions.textToBe(ceaMark, "71.00"));
    By cell = By.cssSelector("#heatmap .cell[data-pledge='" + pledgeId + "']");
    waiting().until(ExpectedConditions.attributeToBe(cell, "data-status", "HEALTHY"));

    trade(64.90); // a shock: coverage 1.298 → margin call
    waiting().until(ExpectedConditions.attributeToBe(cell, "data-status", "MARGIN_CALL"));
    assertTrue(browser.findElement(cell).getAttribute("class").contains("status-MARGIN_CALL"));
    waiting()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#alerts li[data-kind='STATUS_CHANGE']")));
    assertTrue(
        browser
            .findElement(By.cssSelector("#alerts li[data-kind='STATUS_CHANGE']"))
            .getText()
            .contains("追加担保"));
    // The margin call the shock opened is on the ticker too, in the desk's language.
    waiting()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#alerts li[data-kind='MARGIN_CALL']")));
    assertTrue(
        browser
            .findElement(By.cssSelector("#alerts li[data-kind='MARGIN_CALL']"))
            .getText()
            .contains("追加担保通知"));

    // The open call is on the calls panel with what is due and by when; no approval waits yet.
    By openCall = By.cssSelector("#calls li[data-state='OPEN']");
    waiting().until(ExpectedConditions.presenceOfElementLocated(openCall));
    String callText = browser.findElement(openCall).getText();
    assertTrue(callText.contains(pledgeId) && callText.contains("已发出"), callText);
    // 500,000 / 0.6 − 649,000 = 184,333.33 due
    assertTrue(callText.contains("184,333.33"), callText);
    assertEquals("0", browser.findElement(By.id("approvals-count")).getText());
    // A maker asks to pledge fewer units: one approval waits.
    assertEquals(
        202,
        http.patch(
                "/api/v1/pledges/" + pledgeId,
                tokens.token("admin", "BANK-D", "risk-admin"),
                "{\"quantity\":9000}")
            .status());
    waiting().until(ExpectedConditions.textToBe(By.id("approvals-count"), "1"));

    browser.findElement(By.id("lang-toggle")).click();
    waiting()
        .until(ExpectedConditions.textToBe(By.id("title"), "Environmental-Rights Collateral Risk"));
    assertTrue(browser.findElement(openCall).getText().contains("issued"));
    assertTrue(
        browser
            .findElement(By.cssSelector("#alerts li[data-kind='MARGIN_CALL']"))
            .getText()
            .contains("Margin call"));

    Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void theRegulatorSeesTheSystem() {
    JsonObject body =
        new JsonObject()
            .put("borrower", "重庆示范水泥")
            .put("borrowerCode", "91110000600037341L")
            .put("loanId", "L-R")
            .put("instrument", "CEA")
            .put("quantity", 1_000)
            .put("certificate", "C-R")
            .put("outstanding", 10_000)
            .put("markBasis", "LAST");
    http.post("/api/v1/pledges", tokens.token("admin", "BANK-R", "risk-admin"), body.encode());
    trade(72.00);
    browser.get(
        "http://127.0.0.1:"
            + gateway.httpPort()
            + "/#token="
            + tokens.token("reg", null, "regulator"));
    By cea = By.cssSelector("#system-exposure tr[data-instrument='CEA']");
    waiting().until(ExpectedConditions.presenceOfElementLocated(cea));
    assertTrue(browser.findElement(By.id("system-panel")).isDisplayed());
    assertTrue(
        browser.findElement(cea).getText().contains("CEA"), browser.findElement(cea).getText());
    // A bank's desk does not get the panel.
    browser.get(
        "http://127.0.0.1:"
            + gateway.httpPort()
            + "/#token="
            + tokens.token("desk", "BANK-R", "viewer"));
    waiting().until(ExpectedConditions.attributeToBe(By.id("conn-state"), "data-state", "up"));
    assertTrue(!browser.findElement(By.id("system-panel")).isDisplayed());
  }

  @Test
  void withoutATokenTheLoginFormShows() {
    browser.get("http://127.0.0.1:" + gateway.httpPort() + "/");
    ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
    browser.navigate().refresh();
    waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
    browser.findElement(By.id("token-input")).sendKeys("not-a-token");
    browser.findElement(By.cssSelector("#login-form button")).click();
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "令牌"));
  }
}
