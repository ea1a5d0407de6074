package io.greenpledge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.Gateway;
import io.greenpledge.engine.Bus;
import io.greenpledge.market.Quote;
import io.greenpledge.market.TradingCalendar;
import io.greenpledge.support.Http;
import io.greenpledge.support.TestSettings;
import io.greenpledge.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/history} on a running gateway: a market admin uploads a GBK vendor export,
 * the running market re-reads it at once (the next live tick is judged against the last imported
 * close), daily candles serve the imported days, and nobody else may import.
 */
class HistoryApiIT {

  private static final Path FILES = Path.of("src/test/resources/history");

  @TempDir Path dataDir;
  private Gateway gateway;
  private Http http;
  private Tokens tokens;

  @BeforeEach
  void start() throws Exception {
    gateway = Gateway.start(TestSettings.with(dataDir, "GP_FEEDS", "ingest", "GP_DEMO", "false"));
    http = new Http(gateway.httpPort());
    tokens = Tokens.local(dataDir);
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void aGbkVendorExportUploadedByAMarketAdminIsReportedLikeTheCommandReportsIt() throws Exception {
    byte[] gbk = Files.readAllBytes(FILES.resolve("vendor-cea-gbk.csv"));
    Http.Response response =
        http.post(
            "/api/v1/history?name=vendor-cea-gbk.csv",
            tokens.token("ops-1", null, "market-admin"),
            "text/csv",
            gbk);
    assertEquals(200, response.status(), response.body());
    JsonObject report = response.json();
    assertEquals("GBK", report.getString("charset"));
    assertEquals("VENDOR", report.getString("layout"));
    JsonObject cea = report.getJsonArray("instruments").getJsonObject(0);
    assertEquals(5, cea.getInteger("written"));
    assertEquals(3, cea.getInteger("blank"));
  }

  @Test
  void theRunningMarketUsesImportedDaysAtOnce() throws Exception {
    // The last five exchange days before today: recent enough to be in the market's window.
    TradingCalendar exchange = TradingCalendar.exchange();
    LocalDate today = LocalDate.now(TradingCalendar.ZONE);
    List<LocalDate> days = new ArrayList<>();
    for (LocalDate d = today.minusDays(1); days.size() < 5; d = d.minusDays(1)) {
      if (exchange.isTradingDay(d)) {
        days.add(0, d);
      }
    }
    double[] closes = {70.00, 70.50, 71.00, 71.20, 71.40};
    StringBuilder csv = new StringBuilder("date,open,high,low,close,volume\n");
    for (int i = 0; i < 5; i++) {
      csv.append(days.get(i))
          .append(',')
          .append(closes[i])
          .append(',')
          .append(closes[i])
          .append(',')
          .append(closes[i])
          .append(',')
          .append(closes[i])
          .append(",1000\n");
    }
    CompletableFuture<Quote> reread = new CompletableFuture<>();
    Bus.QUOTES.subscribe(
        gateway.vertx(),
        quote -> {
          if (quote.instrument().equals("CEA") && quote.previousClose() == 71.40) {
            reread.complete(quote);
          }
        });
    String admin = tokens.token("ops-1", null, "market-admin");
    assertEquals(
        200,
        http.post(
                "/api/v1/history?instrument=CEA",
                admin,
                "text/csv",
                csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .status());
    // The market re-read the imported days: the previous close is the last imported one.
    assertEquals(71.40, reread.get(20, TimeUnit.SECONDS).previousClose());
    // A live tick is judged against it:
    // 90.00 is outside CEA's ±10 % band around 71.40, 71.00 is not.
    String feed = tokens.token("connector-1", null, "feed");
    JsonArray results =
        http.post("/api/v1/ticks", feed, ticks(90.00, 1, 71.00, 2)).json().getJsonArray("results");
    assertEquals("OUTSIDE_LIMIT_BAND", results.getJsonObject(0).getString("reason"));
    assertEquals("ACCEPTED", results.getJsonObject(1).getString("status"));
    // Daily candles serve the imported days like journaled ones.
    JsonArray candles =
        http.get(
                "/api/v1/prices/CEA/candles?interval=1d&from="
                    + days.get(0)
                    + "T00:00:00%2B08:00&to="
                    + today
                    + "T00:00:00%2B08:00",
                feed)
            .json()
            .getJsonArray("items");
    assertEquals(5, candles.size());
    assertEquals("71.4", candles.getJsonObject(4).getValue("close").toString());
  }

  @Test
  void onlyAMarketAdminMayImportAndTheSameBytesTwiceChangeNothing() throws Exception {
    byte[] csv = Files.readAllBytes(FILES.resolve("ccer-en.csv"));
    assertEquals(
        403,
        http.post(
                "/api/v1/history?instrument=CCER",
                tokens.token("v", "DEMO-A", "viewer", "risk-admin"),
                "text/csv",
                csv)
            .status());
    assertEquals(401, http.post("/api/v1/history?instrument=CCER", null, "text/csv", csv).status());
    String admin = tokens.token("ops-1", null, "market-admin");
    assertEquals(
        25,
        http.post("/api/v1/history?instrument=CCER", admin, "text/csv", csv)
            .json()
            .getJsonArray("instruments")
            .getJsonObject(0)
            .getInteger("written"));
    JsonObject again = http.post("/api/v1/history?instrument=CCER", admin, "text/csv", csv).json();
    assertEquals(1, again.getInteger("alreadyImportedAs"));
    JsonArray imports = http.get("/api/v1/history", admin).json().getJsonArray("items");
    assertEquals(1, imports.size());
    assertEquals(
        400, http.post("/api/v1/history?instrument=NOPE", admin, "text/csv", csv).status());
    assertEquals(415, http.post("/api/v1/history", admin, "application/xml", csv).status());
  }

  @Test
  void jsonBarsAreImportedAndAnImportCanBeUndone() throws Exception {
    String admin = tokens.token("ops-1", null, "market-admin");
    JsonObject body =
        new JsonObject()
            .put("instrument", "CQEA")
            .put(
                "bars",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("date", "2025-03-03")
                            .put("close", 30.20)
                            .put("volume", 1000))
                    .add(
                        new JsonObject()
                            .put("date", "2025-03-04")
                            .put("open", 30.2)
                            .put("high", 30.8)
                            .put("low", 30.0)
                            .put("close", 30.60)
                            .put("volume", 0)));
    JsonObject report =
        http.post(
                "/api/v1/history",
                admin,
                "application/json",
                body.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .json();
    assertEquals("JSON", report.getString("layout"));
    long id = report.getLong("importId");
    JsonObject undone = http.send("DELETE", "/api/v1/history/" + id, admin, null).json();
    assertEquals(2, undone.getInteger("daysRemoved"));
    assertEquals(404, http.send("DELETE", "/api/v1/history/" + id, admin, null).status());
  }

  @Test
  void aValuationAsOfAPastDayUsesOnlyWhatWasKnownAtItsEnd() throws Exception {
    String admin = tokens.token("ops-1", null, "market-admin");
    byte[] csv = Files.readAllBytes(FILES.resolve("ccer-en.csv"));
    assertEquals(
        200, http.post("/api/v1/history?instrument=CCER", admin, "text/csv", csv).status());
    String bankA = tokens.token("desk-a", "BANK-A", "viewer", "risk-admin");
    JsonObject pledge =
        new JsonObject()
            .put("borrower", "重庆某化工有限公司")
            .put("borrowerCode", "91350100M000100Y43")
            .put("loanId", "L-1")
            .put("instrument", "CCER")
            .put("quantity", 10_000)
            .put("certificate", "CERT-ASOF")
            .put("outstanding", 500_000)
            .put("markBasis", "LAST");
    String id = http.post("/api/v1/pledges", bankA, pledge.encode()).json().getString("id");
    // 2025-03-04 closed at 80.80 (day 2), 2025-03-05 at 80.00 (day 3): marked at the last trade.
    JsonObject tuesday =
        http.get("/api/v1/pledges/" + id + "/valuation?asOf=2025-03-04", bankA).json();
    assertEquals("2025-03-04", tuesday.getString("asOf"));
    assertEquals("80.8", tuesday.getValue("mark").toString());
    assertEquals("808000.0", tuesday.getValue("marketValue").toString()); // 10,000 × 80.80
    JsonObject wednesday =
        http.get("/api/v1/pledges/" + id + "/valuation?asOf=2025-03-05", bankA).json();
    assertEquals("80.0", wednesday.getValue("mark").toString());
    // Another bank cannot see it, by this path either; a future day is refused.
    assertEquals(
        404,
        http.get(
                "/api/v1/pledges/" + id + "/valuation?asOf=2025-03-04",
                tokens.token("desk-b", "BANK-B", "viewer"))
            .status());
    assertEquals(
        400, http.get("/api/v1/pledges/" + id + "/valuation?asOf=2999-01-01", bankA).status());
    assertEquals(
        400, http.get("/api/v1/pledges/" + id + "/valuation?asOf=yesterday", bankA).status());
  }

  @Test
  void hostileUploadsAreAnsweredWithProblemsNeverA5xx() {
    String admin = tokens.token("ops-1", null, "market-admin");
    byte[] garbage = new byte[4096];
    new java.util.Random(7).nextBytes(garbage);
    java.util.Map<String, byte[]> csv =
        java.util.Map.of(
            "garbage", garbage,
            "empty", new byte[0],
            "huge exponent", "date,close\n2025-03-03,1e999999999\n".getBytes(),
            "tiny exponent", "date,close\n2025-03-03,1e-999999999\n".getBytes(),
            "price too high", "date,close,volume\n2025-03-03,5000000,1\n".getBytes(),
            "no header", "2025-03-03,30,1\n".getBytes());
    for (var e : csv.entrySet()) {
      Http.Response response =
          http.post("/api/v1/history?instrument=CEA", admin, "text/csv", e.getValue());
      assertTrue(
          response.status() == 200 || response.status() == 400,
          e.getKey() + " → " + response.body());
      assertTrue(!response.body().contains("Exception"), e.getKey() + " → " + response.body());
    }
    for (String json :
        List.of(
            "{\"bars\":5}",
            "[]",
            "{\"instrument\":\"CEA\",\"bars\":[{\"date\":\"2025-03-03\",\"close\":\"1e999999999\"}]}",
            "{\"instrument\":\"CEA\",\"bars\":[{\"date\":{\"a\":[1,2]},\"close\":1}]}",
            "{\"instrument\":\"CEA\",\"bars\":[")) {
      Http.Response response =
          http.post("/api/v1/history", admin, "application/json", json.getBytes());
      assertEquals(400, response.status(), json + " → " + response.body());
    }
  }

  private static String ticks(double first, long firstSeq, double second, long secondSeq) {
    String now = Instant.now().toString();
    return new JsonObject()
        .put(
            "ticks",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("instrument", "CEA")
                        .put("price", first)
                        .put("quantity", 10)
                        .put("ts", now)
                        .put("seq", firstSeq))
                .add(
                    new JsonObject()
                        .put("instrument", "CEA")
                        .put("price", second)
                        .put("quantity", 10)
                        .put("ts", now)
                        .put("seq", secondSeq)))
        .encode();
  }
}
