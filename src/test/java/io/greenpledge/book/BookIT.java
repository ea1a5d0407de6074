package io.greenpledge.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.alerts.event.Alert;
import io.greenpledge.alerts.event.AlertEvent;
import io.greenpledge.alerts.event.Cause;
import io.greenpledge.engine.Bus;
import io.greenpledge.market.Instrument;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.Quote;
import io.greenpledge.market.TradingCalendar;
import io.greenpledge.store.MarketReplay;
import io.greenpledge.support.GatewayExtension;
import io.greenpledge.support.Http;
import io.greenpledge.valuation.CoverageStatus;
import io.greenpledge.valuation.MarketInputs;
import io.greenpledge.valuation.Pledge;
import io.greenpledge.valuation.Valuation;
import io.greenpledge.valuation.Valuer;
import io.greenpledge.wire.AlertJson;
import io.greenpledge.wire.ValuationJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pledge's life through the API, with prices pushed by a connector: every status transition fires
 * one alert, in order, with a gap-free sequence, and the other bank sees none of it.
 *
 * <p>CEA has no history here: previous close = the 72.00 reference, band [64.80, 79.20]. The pledge
 * holds 10,000 t against 500,000 CNY and is marked at the LAST trade, so coverage = price / 50.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BookIT {

  @RegisterExtension
  static final GatewayExtension node =
      new GatewayExtension("GP_FEEDS", "ingest", "GP_DEMO", "false");

  static final BlockingQueue<Alert> published = new LinkedBlockingQueue<>();
  static long tickSeq;
  static String pledgeId;

  @BeforeAll
  static void start() {
    // Margin-call alerts (MarginCallIT's subject) ride along with the status changes that open and
    // close calls; these tests follow the status changes.
    Bus.ALERTS.subscribe(
        node.gateway().vertx(),
        alert -> {
          if (alert.kind() != Alert.Kind.MARGIN_CALL) {
            published.add(alert);
          }
        });
  }

  static String viewerA() {
    return node.tokens().token("analyst-a", "BANK-A", "viewer");
  }

  static String adminA() {
    return node.tokens().token("admin-a", "BANK-A", "viewer", "risk-admin");
  }

  static String viewerB() {
    return node.tokens().token("analyst-b", "BANK-B", "viewer");
  }

  static String adminB() {
    return node.tokens().token("admin-b", "BANK-B", "viewer", "risk-admin");
  }

  static String regulator() {
    return node.tokens().token("cbirc-cq", null, "regulator");
  }

  static void trade(double price) {
    JsonObject tick =
        new JsonObject()
            .put("instrument", "CEA")
            .put("price", price)
            .put("quantity", 500)
            .put("ts", Instant.now().toString())
            .put("seq", ++tickSeq);
    JsonObject result =
        node.http()
            .post(
                "/api/v1/ticks",
                node.tokens().token("vendor", null, "feed"),
                new JsonObject().put("ticks", new JsonArray().add(tick)).encode())
            .json();
    assertEquals(1, result.getInteger("accepted"), result.encode());
  }

  /** The next {@code n} alerts once persisted (they are published only after the write). */
  static List<Alert> alerts(int n) throws InterruptedException {
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Alert alert = published.poll(10, TimeUnit.SECONDS);
      assertNotNull(alert, "expected " + n + " alerts, got " + alerts);
      alerts.add(alert);
    }
    return alerts;
  }

  static String transition(Alert alert) {
    AlertEvent.StatusChanged change = (AlertEvent.StatusChanged) alert.event();
    return change.from() + ">" + change.to();
  }

  static JsonObject createA1() {
    return new JsonObject()
        .put("borrower", "重庆江北示范化工有限公司")
        .put("borrowerCode", "91350100M000100Y43")
        .put("loanId", "A-LN-1")
        .put("instrument", "CEA")
        .put("quantity", 10_000)
        .put("certificate", "CQ-REG-CEA-0001")
        .put("outstanding", 500_000)
        .put("markBasis", "LAST");
  }

  @Test
  @Order(1)
  void createdPledgeIsValuedAtOnce() throws Exception {
    Http.Response created = node.http().post("/api/v1/pledges", adminA(), createA1().encode());
    assertEquals(201, created.status(), created.body());
    JsonObject pledge = created.json();
    pledgeId = pledge.getString("id");
    assertEquals("BANK-A", pledge.getString("bank"));
    JsonObject valuation = pledge.getJsonObject("valuation");
    // No trade yet: the CEA reference price 72.00 → MV 720,000,
    // coverage 1.44, HEALTHY, flagged stale.
    assertEquals("REFERENCE", valuation.getJsonObject("provenance").getString("basis"));
    assertEquals(720_000.00, valuation.getDouble("marketValue"));
    assertEquals(1.44, valuation.getDouble("coverage"));
    assertEquals("HEALTHY", valuation.getString("status"));
    assertTrue(valuation.getBoolean("stale"));
    trade(72.00);
    Alert fresh = alerts(1).get(0);
    assertEquals(Alert.Kind.FRESH, fresh.kind());
    assertEquals("BANK-A", fresh.bank());
    assertEquals(1, fresh.seq());
  }

  @Test
  @Order(2)
  void eachStatusTransitionFiresOneAlertInOrder() throws Exception {
    trade(70.00); // coverage 1.400: still HEALTHY (the line is "below 1.40")
    trade(69.90); // 1.398 → WARNING
    trade(69.95); // 1.399: noise, no alert
    trade(64.90); // 1.298 → MARGIN_CALL
    trade(65.90); // 1.318: not clear of 1.30 + 0.02, stays
    trade(66.10); // 1.322 → WARNING
    List<Alert> alerts = alerts(3);
    assertEquals(
        List.of("HEALTHY>WARNING", "WARNING>MARGIN_CALL", "MARGIN_CALL>WARNING"),
        alerts.stream().map(BookIT::transition).toList());
    // In the bank's one sequence, after FRESH (1); the call the margin call opened takes a seq too.
    List<Long> seqs = alerts.stream().map(Alert::seq).toList();
    assertEquals(2L, seqs.get(0));
    assertTrue(seqs.get(0) < seqs.get(1) && seqs.get(1) < seqs.get(2), seqs.toString());
    assertEquals(
        "WORSENED",
        ((AlertEvent.StatusChanged) alerts.get(1).event()).worsened() ? "WORSENED" : "IMPROVED");
    assertEquals(
        "IMPROVED",
        ((AlertEvent.StatusChanged) alerts.get(2).event()).worsened() ? "WORSENED" : "IMPROVED");
    // The market made these: each names the tick behind its mark.
    Cause byTheMarket = ((AlertEvent.StatusChanged) alerts.get(1).event()).cause();
    assertEquals(Cause.MARKET, byTheMarket.kind());
    assertTrue(byTheMarket.tickSeq() > 0);
    // Raising the outstanding to 560,000 at 66.10: coverage 661,000 / 560,000 = 1.1804 → DISPOSAL.
    Http.Response patched =
        node.http().patch("/api/v1/pledges/" + pledgeId, adminA(), "{\"outstanding\":560000}");
    assertEquals(200, patched.status(), patched.body());
    assertEquals("DISPOSAL", patched.json().getJsonObject("valuation").getString("status"));
    assertEquals(2, patched.json().getInteger("version"));
    Alert byTheBook = alerts(1).get(0);
    assertEquals("WARNING>DISPOSAL", transition(byTheBook));
    // An admin made this one: the alert names the token's subject and the request.
    Cause cause = ((AlertEvent.StatusChanged) byTheBook.event()).cause();
    assertEquals(Cause.BOOK, cause.kind());
    assertEquals("admin-a", cause.actor());
    assertEquals(patched.requestId(), cause.requestId());
    assertTrue(published.isEmpty(), "no other alert: " + published);
  }

  @Test
  @Order(3)
  void alertsAreServedFromTheDatabaseWithoutGaps() {
    JsonObject page = node.http().get("/api/v1/alerts?after=0", viewerA()).json();
    JsonArray items = page.getJsonArray("items");
    // Five status and staleness alerts, and three of the calls they opened and closed (opened in
    // MARGIN_CALL, cured, opened in DISPOSAL): one gap-free sequence.
    assertEquals(8, items.size(), items.encodePrettily());
    for (int i = 0; i < items.size(); i++) {
      assertEquals(i + 1, items.getJsonObject(i).getLong("seq"));
    }
    assertEquals(
        3,
        items.stream()
            .filter(a -> "MARGIN_CALL".equals(((JsonObject) a).getString("kind")))
            .count());
    assertEquals(8, page.getLong("next"));
    assertEquals(
        5,
        node.http().get("/api/v1/alerts?after=3", viewerA()).json().getJsonArray("items").size());
  }

  @Test
  @Order(4)
  void valuationCarriesProvenanceAndHistoryRecordsEveryChange() {
    JsonObject valuation =
        node.http().get("/api/v1/pledges/" + pledgeId + "/valuation", viewerA()).json();
    JsonObject provenance = valuation.getJsonObject("provenance");
    assertEquals("LAST", provenance.getString("basis"));
    assertEquals(66.10, provenance.getDouble("markPrice"));
    assertEquals("ingest:vendor", provenance.getJsonObject("ticks").getString("source"));
    assertEquals(7, provenance.getJsonObject("ticks").getLong("seq"));
    assertEquals(0.94, provenance.getJsonObject("parameters").getDouble("ewmaLambda"));
    JsonArray history =
        node.http()
            .get("/api/v1/pledges/" + pledgeId + "/valuations", viewerA())
            .json()
            .getJsonArray("items");
    List<String> reasons = new ArrayList<>();
    history.forEach(h -> reasons.add(((JsonObject) h).getString("reason")));
    assertEquals(
        List.of(
            "CREATED",
            "STATUS_CHANGE",
            "STATUS_CHANGE",
            "STATUS_CHANGE",
            "STATUS_CHANGE",
            "UPDATED"),
        reasons);
  }

  @Test
  @Order(5)
  void aValuationIsRecomputedFromTheJournalToTheSameNumbers() throws Exception {
    JsonObject served =
        node.http().get("/api/v1/pledges/" + pledgeId + "/valuation", viewerA()).json();
    JsonObject ticks = served.getJsonObject("provenance").getJsonObject("ticks");
    Instant valuedAt = Instant.parse(served.getString("valuedAt"));
    Instruments catalog = Instruments.seed();
    Instrument cea = catalog.find("CEA").orElseThrow();
    Pool pool =
        PgBuilder.pool()
            .connectingTo(
                PgConnectOptions.fromUri(node.gateway().settings().store().pgUrl().orElseThrow()))
            .using(node.gateway().vertx())
            .build();
    try {
      Pledge pledge =
          new PledgeRepository(pool).find(pledgeId).await(10, TimeUnit.SECONDS).orElseThrow();
      Quote quote =
          new MarketReplay(pool, TradingCalendar.alwaysOpen())
              .quoteAt(
                  cea, ticks.getString("source"), ticks.getLong("seq"), pledge.basis(), valuedAt)
              .await(10, TimeUnit.SECONDS);
      CoverageStatus previous = CoverageStatus.valueOf(served.getString("status"));
      Valuation replayed =
          Valuer.value(
              pledge,
              cea,
              MarketInputs.of(quote, pledge.basis()),
              previous,
              valuedAt.atZone(TradingCalendar.ZONE).toLocalDate(),
              valuedAt);
      // Both sides through the same JSON text, so numbers compare by value, not by Java type.
      assertEquals(served, new JsonObject(ValuationJson.valuation(replayed, cea).encode()));
    } finally {
      pool.close();
    }
  }

  @Test
  @Order(6)
  void anotherBankSeesNothingOfThePledgeByAnyPath() {
    for (String path :
        List.of(
            "/api/v1/pledges/" + pledgeId,
            "/api/v1/pledges/" + pledgeId + "/valuation",
            "/api/v1/pledges/" + pledgeId + "/valuations")) {
      Http.Response response = node.http().get(path, viewerB());
      assertEquals(404, response.status(), path);
      assertFalse(response.body().contains("BANK-A"), response.body());
    }
    assertEquals(
        404,
        node.http().patch("/api/v1/pledges/" + pledgeId, adminB(), "{\"outstanding\":1}").status());
    assertEquals(
        404, node.http().post("/api/v1/pledges/" + pledgeId + "/release", adminB(), "").status());
    assertEquals(
        0, node.http().get("/api/v1/pledges", viewerB()).json().getJsonArray("items").size());
    assertEquals(
        0,
        node.http().get("/api/v1/alerts?after=0", viewerB()).json().getJsonArray("items").size());
    JsonObject portfolio = node.http().get("/api/v1/portfolio", viewerB()).json();
    assertEquals(0, portfolio.getJsonObject("totals").getInteger("count"));
    assertEquals(List.of("BANK-B"), banksOf(portfolio.getJsonArray("banks")));
    JsonObject stress =
        node.http().post("/api/v1/stress", viewerB(), "{\"shocks\":{\"CEA\":-0.5}}").json();
    assertEquals(0, stress.getJsonArray("pledges").size());
    assertEquals(0, stress.getJsonArray("banks").size());
    // The owner and the regulator do see it.
    assertEquals(200, node.http().get("/api/v1/pledges/" + pledgeId, viewerA()).status());
    assertEquals(
        200, node.http().get("/api/v1/pledges/" + pledgeId + "/valuation", regulator()).status());
  }

  private static List<String> banksOf(JsonArray banks) {
    List<String> names = new ArrayList<>();
    banks.forEach(b -> names.add(((JsonObject) b).getString("bank")));
    return names;
  }

  @Test
  @Order(7)
  void portfolioTotalsAreTheSumOfTheRoundedValuations() {
    JsonObject bank =
        node.http()
            .get("/api/v1/portfolio", viewerA())
            .json()
            .getJsonArray("banks")
            .getJsonObject(0);
    assertEquals("BANK-A", bank.getString("bank"));
    JsonObject totals = bank.getJsonObject("totals");
    assertEquals(1, totals.getInteger("count"));
    // 10,000 × 66.10 = 661,000.00 against 560,000.00 outstanding.
    assertEquals(661_000.00, totals.getDouble("marketValue"));
    assertEquals(560_000.00, totals.getDouble("outstanding"));
    assertEquals(1, bank.getJsonObject("byStatus").getJsonObject("DISPOSAL").getInteger("count"));
    assertEquals(1, bank.getJsonObject("byInstrument").getJsonObject("CEA").getInteger("count"));
  }

  @Test
  @Order(8)
  void stressShowsTheBreachAndTheTopUpNeeded() {
    JsonObject stress =
        node.http().post("/api/v1/stress", viewerA(), "{\"shocks\":{\"CEA\":-0.1}}").json();
    JsonObject bank = stress.getJsonArray("banks").getJsonObject(0);
    assertEquals(1, bank.getInteger("breaches"));
    // 66.10 × 0.9 = 59.49 → MV 594,900; top-up = 560,000 / 0.6 − 594,900 = 338,433.33
    JsonObject pledge = stress.getJsonArray("pledges").getJsonObject(0);
    assertEquals(59.49, pledge.getDouble("stressedMark"));
    assertEquals(338_433.33, bank.getDouble("topUp"));
  }

  @Test
  @Order(9)
  void theSameCertificateInAnotherBankIsADoublePledge() throws Exception {
    JsonObject body = createA1().put("loanId", "B-LN-9");
    Http.Response created = node.http().post("/api/v1/pledges", adminB(), body.encode());
    assertEquals(201, created.status(), created.body());
    String otherId = created.json().getString("id");
    List<Alert> alerts = alerts(2);
    Alert toB = alerts.stream().filter(a -> a.bank().equals("BANK-B")).findFirst().orElseThrow();
    Alert toA = alerts.stream().filter(a -> a.bank().equals("BANK-A")).findFirst().orElseThrow();
    assertEquals(Alert.Kind.DOUBLE_PLEDGE, toB.kind());
    assertEquals(otherId, toB.pledgeId());
    assertEquals(pledgeId, toA.pledgeId());
    // Neither alert names the other bank or its pledge.
    assertFalse(
        AlertJson.alert(toB).encode().contains("BANK-A")
            || AlertJson.alert(toB).encode().contains(pledgeId));
    assertFalse(
        AlertJson.alert(toA).encode().contains("BANK-B")
            || AlertJson.alert(toA).encode().contains(otherId));
    JsonArray conflicts =
        node.http().get("/api/v1/registry/conflicts", regulator()).json().getJsonArray("items");
    assertEquals(1, conflicts.size());
    assertEquals(2, conflicts.getJsonObject(0).getJsonArray("pledges").size());
    assertEquals(403, node.http().get("/api/v1/registry/conflicts", viewerA()).status());
  }

  @Test
  @Order(10)
  void releasedPledgeIsNoLongerValued() {
    // The pledge has a live margin call (it is in DISPOSAL): its release needs a second risk-admin.
    Http.Response asked =
        node.http().post("/api/v1/pledges/" + pledgeId + "/release", adminA(), "");
    assertEquals(202, asked.status(), asked.body());
    assertEquals("PENDING", asked.json().getString("state"));
    long request = asked.json().getLong("id");
    assertEquals(
        403,
        node.http()
            .post("/api/v1/change-requests/" + request + "/approve", adminA(), "{}")
            .status(),
        "the maker cannot approve");
    assertEquals(
        404,
        node.http()
            .post("/api/v1/change-requests/" + request + "/approve", adminB(), "{}")
            .status(),
        "another bank's admin cannot see it");
    Http.Response released =
        node.http()
            .post(
                "/api/v1/change-requests/" + request + "/approve",
                node.tokens().token("checker-a", "BANK-A", "viewer", "risk-admin"),
                "{}");
    assertEquals(200, released.status(), released.body());
    assertEquals("RELEASED", released.json().getString("state"));
    assertNull(released.json().getValue("valuation"));
    assertEquals(
        404, node.http().get("/api/v1/pledges/" + pledgeId + "/valuation", viewerA()).status());
    assertEquals(
        409, node.http().post("/api/v1/pledges/" + pledgeId + "/release", adminA(), "").status());
    assertEquals(
        0,
        node.http()
            .get("/api/v1/registry/conflicts", regulator())
            .json()
            .getJsonArray("items")
            .size());
  }

  @Test
  @Order(11)
  void badPledgesAreRefusedWithAProblem() {
    List<JsonObject> bad =
        List.of(
            createA1().put("instrument", "EUA"),
            createA1().put("quantity", 0),
            createA1().put("outstanding", 100.005),
            createA1()
                .put(
                    "lines",
                    new JsonObject()
                        .put("initialLtv", 0.6)
                        .put("warning", 1.2)
                        .put("marginCall", 1.3)
                        .put("disposal", 1.1)),
            createA1().put("instrument", "CQ-SO2"),
            createA1().put("rightStart", "2026-01-01").put("rightExpiry", "2030-01-01"),
            createA1()
                .put("instrument", "CQ-SO2")
                .put("rightStart", "2030-01-01")
                .put("rightExpiry", "2026-01-01"),
            createA1().put("unexpected", true));
    for (JsonObject body : bad) {
      Http.Response response = node.http().post("/api/v1/pledges", adminA(), body.encode());
      assertEquals(400, response.status(), body + " → " + response.body());
      assertEquals("application/problem+json", response.contentType());
    }
    assertEquals(403, node.http().post("/api/v1/pledges", viewerA(), createA1().encode()).status());
  }
}
