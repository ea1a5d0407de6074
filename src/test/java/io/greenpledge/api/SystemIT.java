package io.greenpledge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.greenpledge.Gateway;
import io.greenpledge.engine.Bus;
import io.greenpledge.market.Quote;
import io.greenpledge.market.TradingCalendar;
import io.greenpledge.support.Http;
import io.greenpledge.support.TestSettings;
import io.greenpledge.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The regulator's view of the system on a book of three banks, every figure computed by hand; and
 * no bank reaches it.
 */
class SystemIT {

  @TempDir Path dataDir;

  private static final String X = "91350100M000100Y43";
  private static final String Y = "91110000600037341L";
  private static final String Z = "91500105MA6000001X";

  @Test
  void exposureAndSharedBorrowersAcrossBanks() throws Exception {
    try (Gateway gateway =
        Gateway.start(
            TestSettings.with(
                dataDir,
                "GP_FEEDS",
                "ingest",
                "GP_DEMO",
                "false",
                "GP_TRADING_HOURS",
                "exchange"))) {
      Http http = new Http(gateway.httpPort());
      Tokens tokens = Tokens.local(dataDir);
      // 20 exchange days of 150,000 t a day at 72.00: ADV20 = 150,000 t.
      CompletableFuture<Quote> reread = new CompletableFuture<>();
      Bus.QUOTES.subscribe(
          gateway.vertx(),
          quote -> {
            if (quote.instrument().equals("CEA") && quote.adv20() == 150_000) {
              reread.complete(quote);
            }
          });
      assertEquals(
          200,
          http.post(
                  "/api/v1/history?instrument=CEA",
                  tokens.token("ops", null, "market-admin"),
                  "text/csv",
                  bars().getBytes(StandardCharsets.UTF_8))
              .status());
      reread.get(20, TimeUnit.SECONDS);
      tick(http, tokens.token("vendor", null, "feed"));

      pledge(http, tokens, "BANK-A", X, "X 化工", 30_000, 1_400_000);
      pledge(http, tokens, "BANK-A", Y, "Y 水泥", 20_000, 900_000);
      pledge(http, tokens, "BANK-B", X, "X 化工", 50_000, 2_500_000);
      pledge(http, tokens, "BANK-C", Z, "Z 热电", 25_000.5, 1_000_000);
      String regulator = tokens.token("reg", null, "regulator");

      JsonObject cea =
          http.get("/api/v1/system/exposure", regulator)
              .json()
              .getJsonArray("items")
              .getJsonObject(0);
      assertEquals("CEA", cea.getString("instrument"));
      assertEquals(4, cea.getInteger("pledges"));
      assertEquals(125_000.5, cea.getDouble("quantity"));
      // 72.00 × (30,000 + 20,000 + 50,000 + 25,000.5) = 9,000,036.00
      assertEquals(9_000_036.00, cea.getDouble("marketValue"));
      assertEquals(5_800_000.00, cea.getDouble("outstanding"));
      // 125,000.5 / (0.2 × 150,000) = 4.1666… → 4.17 trading days to sell it all
      assertEquals(4.17, cea.getDouble("daysToLiquidate"));
      assertEquals(
          List.of("BANK-A:0.399998", "BANK-B:0.399998", "BANK-C:0.200003"),
          cea.getJsonArray("banks").stream()
              .map(
                  b ->
                      ((JsonObject) b).getString("bank") + ":" + ((JsonObject) b).getValue("share"))
              .toList());

      JsonArray shared =
          http.get("/api/v1/system/borrowers", regulator).json().getJsonArray("items");
      assertEquals(1, shared.size(), shared.encode());
      JsonObject x = shared.getJsonObject(0);
      assertEquals(X, x.getString("borrowerCode"));
      // 1,400,000 at BANK-A + 2,500,000 at BANK-B; 72 × 80,000 = 5,760,000 of collateral
      assertEquals(3_900_000.00, x.getDouble("outstanding"));
      assertEquals(5_760_000.00, x.getDouble("marketValue"));
      assertEquals(2, x.getJsonArray("banks").size());

      // No bank sees the system, nor another bank's borrowers through it.
      String bankAdmin = tokens.token("admin", "BANK-A", "viewer", "risk-admin");
      assertEquals(403, http.get("/api/v1/system/exposure", bankAdmin).status());
      assertEquals(403, http.get("/api/v1/system/borrowers", bankAdmin).status());
    }
  }

  private static String bars() {
    TradingCalendar exchange = TradingCalendar.exchange();
    List<LocalDate> days = new ArrayList<>();
    for (LocalDate d = LocalDate.now(TradingCalendar.ZONE).minusDays(1);
        days.size() < 20;
        d = d.minusDays(1)) {
      if (exchange.isTradingDay(d)) {
        days.add(0, d);
      }
    }
    StringBuilder csv = new StringBuilder("date,open,high,low,close,volume\n");
    days.forEach(d -> csv.append(d).append(",72.00,72.00,72.00,72.00,150000\n"));
    return csv.toString();
  }

  private static void tick(Http http, String feed) {
    JsonObject tick =
        new JsonObject()
            .put("instrument", "CEA")
            .put("price", 72.00)
            .put("quantity", 10)
            .put("ts", Instant.now().toString())
            .put("seq", 1);
    JsonObject result =
        http.post(
                "/api/v1/ticks",
                feed,
                new JsonObject().put("ticks", new JsonArray().add(tick)).encode())
            .json();
    assertEquals(1, result.getInteger("accepted"), result.encode());
  }

  private static void pledge(
      Http http,
      Tokens tokens,
      String bank,
      String code,
      String name,
      double quantity,
      long outstanding) {
    JsonObject body =
        new JsonObject()
            .put("borrower", name)
            .put("borrowerCode", code)
            .put("loanId", "L-" + bank + "-" + code)
            .put("instrument", "CEA")
            .put("quantity", quantity)
            .put("certificate", "C-" + bank + "-" + code)
            .put("outstanding", outstanding)
            .put("markBasis", "LAST");
    Http.Response created =
        http.post("/api/v1/pledges", tokens.token("admin", bank, "risk-admin"), body.encode());
    assertEquals(201, created.status(), created.body());
  }
}
