package io.greenpledge.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The wall left running: the gateway on its embedded defaults (simulator, demo book) in its own
 * JVM, {@code --rate} more ticks per second ingested on top, and the DEMO-A wall in a headless
 * Chromium at 1920×1080. Every minute, after a forced garbage collection in the page, it prints the
 * page's JavaScript heap and its DOM node count; at the end the first, last and largest, and the
 * growth over the second half.
 *
 * <pre>
 * mvn -B -Pbench test-compile exec:exec -Dbench.main=io.greenpledge.bench.WallSoak -Dbench="--minutes 60 --rate 200"
 * </pre>
 */
public final class WallSoak {

  private WallSoak() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = PushLoad.options(args);
    int minutes = Integer.parseInt(options.getOrDefault("minutes", "60"));
    int rate = Integer.parseInt(options.getOrDefault("rate", "200"));
    ChromeDriver browser = null;
    try (BenchGateway gateway = new BenchGateway(Map.of("GP_RATE_LIMIT", "0"), List.of())) {
      HttpClient http = HttpClient.newHttpClient();
      String base = gateway.base();
      Duration life = Duration.ofMinutes(minutes + 30);
      String wall =
          gateway.mint("soak-wall", java.util.Optional.of("DEMO-A"), List.of("viewer"), life);
      String feed = gateway.mint("soak-feed", java.util.Optional.empty(), List.of("feed"), life);
      Thread feeder = new Thread(() -> feed(http, base, feed, rate), "soak-feeder");
      feeder.setDaemon(true);
      feeder.start();

      ChromeOptions chrome =
          new ChromeOptions()
              .setBinary("/usr/bin/chromium")
              .addArguments(
                  "--headless=new",
                  "--no-sandbox",
                  "--disable-gpu",
                  "--no-first-run",
                  "--disable-background-networking",
                  "--js-flags=--expose-gc",
                  "--enable-precise-memory-info",
                  "--window-size=1920,1080",
                  "--user-data-dir=" + Scratch.directory("chromium"));
      browser =
          new ChromeDriver(
              new ChromeDriverService.Builder()
                  .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                  .build(),
              chrome);
      browser.executeCdpCommand(
          "Emulation.setDeviceMetricsOverride",
          Map.of("width", 1920, "height", 1080, "deviceScaleFactor", 1, "mobile", false));
      browser.get(base + "/#token=" + wall);
      new WebDriverWait(browser, Duration.ofSeconds(60))
          .until(ExpectedConditions.attributeToBe(By.id("conn-state"), "data-state", "up"));
      System.out.printf(
          "wall soak: DEMO-A at 1920x1080, simulator + %d ingested ticks/s, %d min%n",
          rate, minutes);
      System.out.printf("%6s %10s %8s %8s%n", "minute", "heap MB", "DOM", "state");
      double[] heap = new double[minutes + 1];
      long[] nodes = new long[minutes + 1];
      for (int minute = 0; minute <= minutes; minute++) {
        if (minute > 0) {
          Thread.sleep(60_000); // the soak's sampling interval, not a synchronisation
        }
        JsonObject sample =
            new JsonObject(
                (String)
                    browser.executeScript(
                        "window.gc && gc();"
                            + "return JSON.stringify({heap: performance.memory.usedJSHeapSize,"
                            + " nodes: document.getElementsByTagName('*').length,"
                            + " state: document.getElementById('conn-state').dataset.state})"));
        heap[minute] = sample.getLong("heap") / 1e6;
        nodes[minute] = sample.getLong("nodes");
        System.out.printf(
            "%6d %10.1f %8d %8s%n", minute, heap[minute], nodes[minute], sample.getString("state"));
      }
      double maxHeap = 0;
      long maxNodes = 0;
      for (int i = 0; i <= minutes; i++) {
        maxHeap = Math.max(maxHeap, heap[i]);
        maxNodes = Math.max(maxNodes, nodes[i]);
      }
      int half = minutes / 2;
      System.out.printf(
          "heap MB: first %.1f, last %.1f, largest %.1f, second half %+.1f; DOM: first %d, last %d,"
              + " largest %d, second half %+d%n",
          heap[0],
          heap[minutes],
          maxHeap,
          heap[minutes] - heap[half],
          nodes[0],
          nodes[minutes],
          maxNodes,
          nodes[minutes] - nodes[half]);
    } finally {
      if (browser != null) {
        browser.quit();
      }
    }
  }

  /** {@code rate} random ticks a second in 10 batches, within ±1 % of each reference price. */
  private static void feed(HttpClient http, String base, String token, int rate) {
    SplittableRandom random = new SplittableRandom(11);
    List<io.greenpledge.market.Instrument> instruments =
        io.greenpledge.market.Instruments.seed().all();
    long seq = 0;
    while (!Thread.currentThread().isInterrupted()) {
      long started = System.nanoTime();
      JsonArray ticks = new JsonArray();
      for (int i = 0; i < Math.max(1, rate / 10); i++) {
        var instrument = instruments.get(random.nextInt(instruments.size()));
        double move = 1 + (random.nextInt(201) - 100) / 10_000.0;
        ticks.add(
            new JsonObject()
                .put("instrument", instrument.id())
                .put("price", Math.round(instrument.referencePrice() * move * 100) / 100.0)
                .put("quantity", 10)
                .put("ts", Instant.now().toString())
                .put("seq", ++seq));
      }
      try {
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/ticks"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        new JsonObject().put("ticks", ticks).encode()))
                .build(),
            HttpResponse.BodyHandlers.discarding());
        long left = 100 - (System.nanoTime() - started) / 1_000_000;
        if (left > 0) {
          Thread.sleep(left); // pacing the load, not a synchronisation
        }
      } catch (InterruptedException e) {
        return;
      } catch (java.io.IOException e) {
        // the gateway is stopping
        return;
      }
    }
  }
}
