package io.greenpledge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
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
 * Takes the README's screenshot of a running demo: {@code DashboardScreenshot <dashboard URL>
 * <png>}. Waits until the socket is live and the demo book is drawn.
 */
public final class DashboardScreenshot {

  private DashboardScreenshot() {}

  public static void main(String[] args) throws Exception {
    String[] words = String.join(" ", args).trim().split("\\s+");
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
                "--user-data-dir=" + Scratch.directory("chromium"));
    WebDriver browser =
        new ChromeDriver(
            new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .build(),
            options);
    try {
      browser.get(words[0]);
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
      wait.until(ExpectedConditions.attributeToBe(By.id("conn-state"), "data-state", "up"));
      wait.until(d -> d.findElements(By.cssSelector("#worst tbody tr")).size() == 10);
      Thread.sleep(5000);
      Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, Path.of(words[1]), StandardCopyOption.REPLACE_EXISTING);
    } finally {
      browser.quit();
    }
  }
}
