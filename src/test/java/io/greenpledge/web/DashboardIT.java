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
  static ChromeDriver browser;
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
    trade("CEA", price);
  }

  static JsonObject trade(String instrument, double price) {
    JsonObject tick =
        new JsonObject()
            .put("instrument", instrument)
            .put("price", price)
            .put("quantity", 100)
            .put("ts", Instant.now().toString())
            .put("seq", ++seq);
    return http.post(
            "/api/v1/ticks",
            tokens.token("vendor", null, "feed"),
            new JsonObject().put("ticks", new JsonArray().add(tick)).encode())
        .json();
  }

  /**
   * The points on an instrument's price chart; 0 until the card has its chart (the card is drawn
   * first and carries no count before it).
   */
  private static int points(org.openqa.selenium.WebDriver d, String instrument) {
    String points =
        d.findElement(By.cssSelector(".price-card[data-instrument='" + instrument + "']"))
            .getAttribute("data-points");
    return points == null ? 0 : Integer.parseInt(points);
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
    By row = By.cssSelector("#worst tr[data-pledge='" + pledgeId + "']");
    waiting().until(ExpectedConditions.attributeToBe(row, "data-status", "HEALTHY"));
    // the borrower is on the row (fetched for the worst pledges), not in a tooltip
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(row, "重庆示范化工"));

    trade(64.90); // a shock: coverage 1.298 → margin call
    waiting().until(ExpectedConditions.attributeToBe(row, "data-status", "MARGIN_CALL"));
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

  /**
   * At 1920×1080 and at 3840×2160: every key figure is at least 2.5 % of the screen height tall,
   * nothing scrolls and no panel cuts its content; the sparklines are filled from today's candles
   * on load; the worst list re-orders when a shock makes another pledge the worst.
   */
  @Test
  void theWallReadsFromFiveMetresAtBothResolutionsAndReordersOnAShock() throws Exception {
    String bank = "BANK-W";
    String admin = tokens.token("admin", bank, "risk-admin");
    // Instruments of their own (the other tests trade CEA). 10,000 t of CQEA against 212,000:
    // coverage = CQEA / 21.2; 1,000 t of CCER against 60,000: coverage = CCER / 60. At CQEA 30
    // (1.415, healthy) and CCER 80 (1.333, warning) the CCER pledge is the worse one.
    String cea = pledge(admin, "重庆示范钢铁", "91500000MA5U0000XN", "CQEA", 10_000, 212_000);
    String ccer = pledge(admin, "重庆示范电力", "91500000MA5U0001XP", "CCER", 1_000, 60_000);
    trade("CCER", 80.00);
    trade("CQEA", 30.00);
    for (int[] size : new int[][] {{1920, 1080}, {3840, 2160}}) {
      // the viewport itself, as a full-screen wall has it (a window's size includes its chrome)
      ((ChromeDriver) browser)
          .executeCdpCommand(
              "Emulation.setDeviceMetricsOverride",
              java.util.Map.of(
                  "width", size[0], "height", size[1], "deviceScaleFactor", 1, "mobile", false));
      browser.get(
          "http://127.0.0.1:"
              + gateway.httpPort()
              + "/#token="
              + tokens.token("wall", bank, "viewer"));
      waiting().until(ExpectedConditions.attributeToBe(By.id("conn-state"), "data-state", "up"));
      waiting().until(d -> order().size() == 2 && points(d, "CQEA") >= 2);
      assertEquals(java.util.List.of(ccer, cea), order(), "the CCER pledge is the worse");
      assertTrue(
          browser
              .findElement(By.cssSelector("#worst tr[data-pledge='" + ccer + "']"))
              .getText()
              .contains("重庆示范电力"),
          "the borrower on the row");
      JsonObject layout = layout();
      assertEquals(size[1], layout.getInteger("height"), layout.encode());
      assertTrue(layout.getInteger("scrollHeight") <= size[1], "no vertical scroll: " + layout);
      assertTrue(layout.getInteger("scrollWidth") <= size[0], "no horizontal scroll: " + layout);
      assertTrue(
          layout.getDouble("smallestKeyFigure") >= 0.025 * size[1],
          "key figures at least 2.5 % of the height: " + layout);
      assertEquals(new JsonArray(), layout.getJsonArray("cut"), "panels that cut their content");
      Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(
          shot, Path.of("target", "wall-" + size[1] + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
    // the CQEA pledge falls to coverage 1.288, a margin call: now the worse
    assertEquals(1, trade("CQEA", 27.30).getInteger("accepted"));
    try {
      waiting().until(d -> order().equals(java.util.List.of(cea, ccer)));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("the worst list stayed " + order(), e);
    }
    ((ChromeDriver) browser)
        .executeCdpCommand("Emulation.clearDeviceMetricsOverride", java.util.Map.of());
  }

  /** The worst list's pledges, top down. */
  @SuppressWarnings("unchecked")
  private static java.util.List<String> order() {
    return (java.util.List<String>)
        ((org.openqa.selenium.JavascriptExecutor) browser)
            .executeScript(
                "return [...document.querySelectorAll('#worst tbody tr')].map(r => r.dataset.pledge)");
  }

  /** The page's size, its scroll extent, the smallest key figure and the panels that cut text. */
  private static JsonObject layout() {
    Object measured =
        ((org.openqa.selenium.JavascriptExecutor) browser)
            .executeScript(
                "const keys = [...document.querySelectorAll('.key')].filter(e => e.offsetParent);"
                    + "const cut = [...document.querySelectorAll('section:not([hidden]), .tile')]"
                    + "  .filter(e => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1)"
                    + "  .map(e => e.id || e.dataset.key);"
                    + "return JSON.stringify({height: innerHeight, width: innerWidth,"
                    + "  scrollHeight: document.documentElement.scrollHeight,"
                    + "  scrollWidth: document.documentElement.scrollWidth,"
                    + "  smallestKeyFigure: Math.min(...keys.map(e => parseFloat(getComputedStyle(e).fontSize))),"
                    + "  keyFigures: keys.length, cut})");
    return new JsonObject((String) measured);
  }

  private static String pledge(
      String admin,
      String borrower,
      String code,
      String instrument,
      int quantity,
      int outstanding) {
    JsonObject body =
        new JsonObject()
            .put("borrower", borrower)
            .put("borrowerCode", code)
            .put("loanId", "L-" + code)
            .put("instrument", instrument)
            .put("quantity", quantity)
            .put("certificate", "C-" + code)
            .put("outstanding", outstanding)
            .put("markBasis", "LAST");
    Http.Response created = http.post("/api/v1/pledges", admin, body.encode());
    assertEquals(201, created.status(), created.body());
    return created.json().getString("id");
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
    // banks side by side, from the stream of every bank's valuations
    waiting()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#banks tr[data-bank='BANK-R']")));
    assertTrue(!browser.findElement(By.id("worst-panel")).isDisplayed());
    Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    try {
      Files.copy(
          shot, Path.of("target", "wall-regulator.png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
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
