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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a CEA market with an ADV20 of 150,000 t: the regulator's view of the system on a book of three
 * banks, every figure computed by hand (and no bank reaches it); a bank's eligibility schedule,
 * rule by rule.
 */
class SystemIT {

  @TempDir Path dataDir;

  private static final String X = "91350100M000100Y43";
  private static final String Y = "91110000600037341L";
  private static final String Z = "91500105MA6000001X";

  /** A gateway whose CEA has 20 exchange days of 150,000 t a day at 72.00 and trades at 72.00. */
  private io.greenpledge.config.Settings settings;

  private Gateway market() throws Exception {
    settings =
        TestSettings.with(
            dataDir, "GP_FEEDS", "ingest", "GP_DEMO", "false", "GP_TRADING_HOURS", "exchange");
    Gateway gateway = Gateway.start(settings);
    Http http = new Http(gateway.httpPort());
    Tokens tokens = Tokens.local(dataDir);
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
    return gateway;
  }

  @Test
  void exposureAndSharedBorrowersAcrossBanks() throws Exception {
    try (Gateway gateway = market()) {
      Http http = new Http(gateway.httpPort());
      Tokens tokens = Tokens.local(dataDir);

      String ax = pledge(http, tokens, "BANK-A", X, "X 化工", 30_000, 1_400_000);
      pledge(http, tokens, "BANK-A", Y, "Y 水泥", 20_000, 900_000);
      pledge(http, tokens, "BANK-B", X, "X 化工", 50_000, 2_500_000);
      String cz = pledge(http, tokens, "BANK-C", Z, "Z 热电", 25_000.5, 1_000_000);
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

      // Green-loan balances: now 5,800,000.00 on carbon; the stored valuations of then say
      // 1,000,000 (A's X pledge, 100 days ago) and 800,000 (C's, 40 days ago).
      try (java.sql.Connection db =
          io.greenpledge.support.TestDatabase.connect(settings.store().pgUrl().orElseThrow())) {
        java.sql.PreparedStatement insert =
            db.prepareStatement(
                "INSERT INTO valuations (pledge_id, bank, valued_at, reason, status, coverage,"
                    + " market_value, payload) VALUES (?, ?, now() - ?::interval, 'SNAPSHOT',"
                    + " 'HEALTHY', 1.5, 0, ?::jsonb)");
        for (Object[] row :
            List.of(
                new Object[] {ax, "BANK-A", "100 days", "{\"outstanding\":1000000.00}"},
                new Object[] {cz, "BANK-C", "40 days", "{\"outstanding\":800000.00}"})) {
          for (int i = 0; i < 4; i++) {
            insert.setString(i + 1, (String) row[i]);
          }
          insert.executeUpdate();
        }
      }
      JsonObject carbon =
          http.get("/api/v1/system/green-loans", regulator).json().getJsonArray("items").stream()
              .map(i -> (JsonObject) i)
              .filter(i -> i.getString("category").equals("CARBON"))
              .findFirst()
              .orElseThrow();
      assertEquals(4, carbon.getInteger("pledges"));
      assertEquals(5_800_000.00, carbon.getDouble("balance"));
      // 30 days ago: 1,000,000 + 800,000; 5,800,000 / 1,800,000 − 1 = 2.2222…
      assertEquals(1_800_000.00, carbon.getDouble("balance30dAgo"));
      assertEquals(2.222222, carbon.getDouble("growth30d"));
      // 90 days ago: 1,000,000 alone; 5.8 − 1 = 4.8
      assertEquals(1_000_000.00, carbon.getDouble("balance90dAgo"));
      assertEquals(4.8, carbon.getDouble("growth90d"));

      // The same shock to every bank: CEA −20 % to 57.60. A: 1,728,000 / 1,400,000 = 1.234 and
      // 1,152,000 / 900,000 = 1.28, two margin calls; B: 2,880,000 / 2,500,000 = 1.152, a
      // disposal; C: 1,440,028.80 / 1,000,000 = 1.44, healthy.
      Http.Response stressed =
          http.post("/api/v1/system/stress", regulator, "{\"shocks\":{\"CEA\":-0.2}}");
      assertEquals(200, stressed.status(), stressed.body());
      assertEquals(
          List.of("BANK-A:2", "BANK-B:1", "BANK-C:0"),
          stressed.json().getJsonArray("banks").stream()
              .map(
                  b ->
                      ((JsonObject) b).getString("bank")
                          + ":"
                          + ((JsonObject) b).getInteger("breaches"))
              .sorted()
              .toList());

      // No bank sees the system, nor another bank's borrowers through it.
      String bankAdmin = tokens.token("admin", "BANK-A", "viewer", "risk-admin");
      assertEquals(403, http.get("/api/v1/system/exposure", bankAdmin).status());
      assertEquals(403, http.get("/api/v1/system/borrowers", bankAdmin).status());
      assertEquals(403, http.get("/api/v1/system/green-loans", bankAdmin).status());
      assertEquals(403, http.post("/api/v1/system/stress", bankAdmin, "{}").status());
    }
  }

  @Test
  void aBankAdmitsOnlyWhatItsScheduleAllows() throws Exception {
    try (Gateway gateway = market()) {
      Http http = new Http(gateway.httpPort());
      Tokens tokens = Tokens.local(dataDir);
      String maker = tokens.token("maker", "BANK-A", "viewer", "risk-admin");
      String checker = tokens.token("checker", "BANK-A", "viewer", "risk-admin");
      String held = pledge(http, tokens, "BANK-A", X, "X 化工", 400_000, 10_000_000);
      JsonObject schedule =
          new JsonObject()
              .put(
                  "eligibility",
                  new JsonObject()
                      .put("instruments", new JsonArray().add("CEA").add("CQ-SO2"))
                      .put("minRemainingDays", 730)
                      .put("maxAdvMultiple", 2)
                      .put("haircutFloors", new JsonObject().put("CEA", 0.5)))
              .put(
                  "concentration",
                  new JsonObject()
                      .put("maxInstrumentShare", 0.5)
                      .put("maxBorrowerShare", 0.25)
                      .put("maxGroupShare", 0.5)
                      .put("maxLiquidationDays", 10)
                      .put("addOn", 0.05));
      // Wrong limits are refused by name before anyone approves them.
      JsonObject wrong =
          new JsonObject()
              .put("eligibility", new JsonObject().put("instruments", new JsonArray().add("XYZ")));
      Http.Response unknown = http.send("PUT", "/api/v1/limits", maker, wrong.encode());
      assertEquals(400, unknown.status(), unknown.body());
      assertTrue(unknown.body().contains("XYZ"), unknown.body());
      // What the risk engine tells once the limits apply: the held pledge's valuation with the
      // bank's terms, and the concentration alerts.
      CompletableFuture<io.greenpledge.valuation.Valuation> withTerms = new CompletableFuture<>();
      Bus.VALUATIONS.subscribe(
          gateway.vertx(),
          batch ->
              batch.valuations().all().stream()
                  .filter(v -> v.pledgeId().equals(held) && v.haircutMicro() == 550_000)
                  .findFirst()
                  .ifPresent(withTerms::complete));
      Map<String, io.greenpledge.alerts.event.Alert> byLimit = new ConcurrentHashMap<>();
      CompletableFuture<Void> allFour = new CompletableFuture<>();
      Bus.ALERTS.subscribe(
          gateway.vertx(),
          (io.greenpledge.alerts.event.Alert alert) -> {
            if (alert.event()
                instanceof io.greenpledge.alerts.event.AlertEvent.ConcentrationChanged c) {
              byLimit.putIfAbsent(c.limit(), alert);
              if (byLimit.size() == 4) {
                allFour.complete(null);
              }
            }
          });
      // A change of limits takes a second risk-admin.
      Http.Response asked = http.send("PUT", "/api/v1/limits", maker, schedule.encode());
      assertEquals(202, asked.status(), asked.body());
      assertEquals("limits.change", asked.json().getString("action"));
      Http.Response set =
          http.post(
              "/api/v1/change-requests/" + asked.json().getLong("id") + "/approve", checker, "{}");
      assertEquals(200, set.status(), set.body());
      assertEquals("BANK", set.json().getString("source"));
      // The 400,000 t already held is more than 2 × ADV20 = 300,000 t: flagged, not removed.
      JsonArray flagged = set.json().getJsonArray("ineligible");
      assertEquals(1, flagged.size(), flagged.encode());
      assertEquals(held, flagged.getJsonObject(0).getString("pledgeId"));
      assertEquals("maxAdvMultiple", flagged.getJsonObject(0).getString("rule"));

      // New pledges: each rule refuses with its name; what the schedule admits is registered.
      assertRefused(http, maker, body("CCER", 1_000, null, null), "eligibleInstruments");
      assertRefused(http, maker, body("CEA", 300_001, null, null), "maxAdvMultiple");
      LocalDate today = LocalDate.now(TradingCalendar.ZONE);
      String started = today.minusYears(1).toString();
      assertRefused(
          http,
          maker,
          body("CQ-SO2", 10, started, today.plusDays(700).toString()),
          "minRemainingDays");
      assertEquals(
          201,
          http.post("/api/v1/pledges", maker, body("CEA", 300_000, null, null).encode()).status());
      // 800 days left meets the term rule, but CQ-SO2 traded nothing in its window: no ADV20,
      // so no position is within a multiple of it.
      assertRefused(
          http,
          maker,
          body("CQ-SO2", 10, started, today.plusDays(800).toString()),
          "maxAdvMultiple");

      // Concentration: X holds 400,000 t and Y 300,000 t of CEA at 72.00, both at the T1 floor
      // haircut (σ 0 on a flat history): eligible 20,160,000 and 15,120,000; X's share
      // 20,160,000 / 35,280,000 = 0.571429 and Y's 0.428571, both over 0.25; X's group the same
      // as X; all of it CEA (1 > 0.5); 700,000 t / (0.2 × 150,000) = 23.33 days, over 10.
      JsonArray concentration =
          http.get("/api/v1/limits", maker).json().getJsonArray("concentration");
      assertEquals(
          List.of( // by limit, then key
              "maxInstrumentShare CEA 1.0",
              "maxBorrowerShare " + Y + " 0.428571",
              "maxBorrowerShare " + X + " 0.571429 [" + held + "]",
              "maxGroupShare G集团 0.571429",
              "maxLiquidationDays CEA 23.33"),
          concentration.stream()
              .map(c -> (JsonObject) c)
              .map(
                  c ->
                      c.getString("limit")
                          + " "
                          + c.getString("key")
                          + " "
                          + c.getValue("figure")
                          + (c.getString("key").equals(X)
                              ? " " + c.getJsonArray("pledgeIds").getList()
                              : ""))
              .toList());

      // The engine applies the bank's terms to its valuations: CEA's floor 0.50 over the model's
      // 0.30, plus the 0.05 add-on of a borrower over its share:
      // 0.55; eligible = 28,800,000 × 0.45.
      withTerms.get(20, TimeUnit.SECONDS);
      JsonObject valued = http.get("/api/v1/pledges/" + held + "/valuation", maker).json();
      assertEquals(0.55, valued.getDouble("haircut"), valued.encode());
      JsonObject provenance = valued.getJsonObject("provenance");
      assertEquals(0.3, provenance.getDouble("modelHaircut"));
      assertEquals(0.5, provenance.getDouble("bankHaircutFloor"));
      assertEquals(0.05, provenance.getDouble("concentrationAddOn"));
      assertEquals(12_960_000.00, valued.getDouble("eligibleValue"));
      // Each limit's breach is told as an alert, with the pledges behind it. BANK-A's book is all
      // CEA (share 1 > 0.5); borrower X and its group G hold more than 0.25 and 0.5 of it; its
      // 400,000 t alone take 400,000 / (0.2 × 150,000) = 13.33 days to sell, over 10. (The
      // figures depend on which pledges existed at the engine's last look; GET /limits above
      // gave them exactly.)
      allFour.get(20, TimeUnit.SECONDS);
      assertEquals(
          java.util.Set.of(
              "maxInstrumentShare", "maxBorrowerShare", "maxGroupShare", "maxLiquidationDays"),
          byLimit.keySet());
      for (io.greenpledge.alerts.event.Alert alert : byLimit.values()) {
        var c = (io.greenpledge.alerts.event.AlertEvent.ConcentrationChanged) alert.event();
        assertEquals("BANK-A", alert.bank());
        assertTrue(c.breached(), c.toString());
        assertTrue(c.pledgeIds().contains(held), c.toString());
        assertTrue(c.figure().compareTo(c.max()) > 0, c.toString());
      }
      JsonObject told =
          http.get("/api/v1/alerts?after=" + (byLimit.get("maxGroupShare").seq() - 1), maker)
              .json()
              .getJsonArray("items")
              .getJsonObject(0);
      assertEquals("CONCENTRATION", told.getString("kind"));
      assertEquals("G集团", told.getJsonObject("data").getString("key"));
      assertTrue(
          !http.get("/api/v1/alerts?after=0", tokens.token("b", "BANK-B", "viewer"))
              .body()
              .contains("CONCENTRATION"),
          "another bank hears nothing of it");
      // Another bank's pledge of CEA keeps the model's haircut.
      String others = pledge(http, tokens, "BANK-B", Z, "Z 热电", 1_000, 10_000);
      assertEquals(
          0.3,
          http.get(
                  "/api/v1/pledges/" + others + "/valuation", tokens.token("b", "BANK-B", "viewer"))
              .json()
              .getDouble("haircut"));

      // Isolation: another bank reads its own (none), not BANK-A's; the regulator names the bank.
      String otherBank = tokens.token("admin-b", "BANK-B", "viewer", "risk-admin");
      assertEquals("NONE", http.get("/api/v1/limits", otherBank).json().getString("source"));
      assertEquals(404, http.get("/api/v1/limits?bank=BANK-A", otherBank).status());
      assertEquals(
          "BANK",
          http.get("/api/v1/limits?bank=BANK-A", tokens.token("reg", null, "regulator"))
              .json()
              .getString("source"));
      assertEquals(
          201,
          http.post("/api/v1/pledges", otherBank, body("CCER", 1_000, null, null).encode())
              .status(),
          "BANK-A's schedule is not BANK-B's");
    }
  }

  private static JsonObject body(String instrument, double quantity, String start, String expiry) {
    JsonObject body =
        new JsonObject()
            .put("borrower", "Y 水泥")
            .put("borrowerCode", Y)
            .put("loanId", "L-" + instrument + "-" + quantity + "-" + expiry)
            .put("instrument", instrument)
            .put("quantity", quantity)
            .put("certificate", "C-" + instrument + "-" + quantity + "-" + expiry)
            .put("outstanding", 100_000)
            .put("markBasis", "LAST");
    if (start != null) {
      body.put("rightStart", start).put("rightExpiry", expiry);
    }
    return body;
  }

  private static void assertRefused(Http http, String token, JsonObject body, String rule) {
    Http.Response refused = http.post("/api/v1/pledges", token, body.encode());
    assertEquals(422, refused.status(), refused.body());
    assertTrue(refused.body().contains(rule + ":"), refused.body());
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

  private static String pledge(
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
            .put("borrowerGroup", code.equals(X) ? "G集团" : null)
            .put("loanId", "L-" + bank + "-" + code)
            .put("instrument", "CEA")
            .put("quantity", quantity)
            .put("certificate", "C-" + bank + "-" + code)
            .put("outstanding", outstanding)
            .put("markBasis", "LAST");
    Http.Response created =
        http.post("/api/v1/pledges", tokens.token("admin", bank, "risk-admin"), body.encode());
    assertEquals(201, created.status(), created.body());
    return created.json().getString("id");
  }
}
