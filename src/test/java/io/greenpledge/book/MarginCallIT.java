package io.greenpledge.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.Gateway;
import io.greenpledge.alerts.event.Alert;
import io.greenpledge.alerts.event.AlertEvent;
import io.greenpledge.engine.Bus;
import io.greenpledge.support.Http;
import io.greenpledge.support.TestSettings;
import io.greenpledge.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Margin calls worked as a case on a running gateway: opened by the market, acknowledged and
 * disputed by the desk, partly met then met by paying down, cured by the market; another bank sees
 * none of it; each move is told as an alert and kept in the call's history with its cause.
 */
class MarginCallIT {

  @TempDir Path dataDir;

  @Test
  void callsOpenAreWorkedAndCloseByTheBookOrByTheMarket() throws Exception {
    try (Node node = start()) {
      Http http = node.http();
      Tokens tokens = node.tokens();
      BlockingQueue<AlertEvent.CallChanged> told = node.told();
      String admin = tokens.token("admin-a", "BANK-A", "viewer", "risk-admin");
      String viewer = tokens.token("viewer-a", "BANK-A", "viewer");
      String otherBank = tokens.token("admin-b", "BANK-B", "viewer", "risk-admin");
      String feed = tokens.token("connector", null, "feed");
      // 10,000 t of CEA against 500,000: coverage = price / 50.
      String paid = pledge(http, admin, "CERT-PAID");
      String cured = pledge(http, admin, "CERT-CURED");
      tick(http, feed, 64.90, 1); // coverage 1.298 → MARGIN_CALL for both
      AlertEvent.CallChanged first = next(told);
      AlertEvent.CallChanged second = next(told);
      assertEquals("OPEN", first.to());
      assertEquals("MARKET", first.cause().kind());
      // Top-up at opening: 500,000 / 0.6 − 649,000 = 833,333.33 − 649,000 = 184,333.33.
      assertEquals("184333.33", first.amountDue().toPlainString());
      JsonArray open = http.get("/api/v1/margin-calls", admin).json().getJsonArray("items");
      assertEquals(2, open.size());
      long paidCall = callOf(open, paid);
      long curedCall = callOf(open, cured);

      // The desk works them; another bank and a viewer cannot.
      assertEquals(
          0, http.get("/api/v1/margin-calls", otherBank).json().getJsonArray("items").size());
      assertEquals(404, http.get("/api/v1/margin-calls/" + paidCall, otherBank).status());
      assertEquals(404, post(http, otherBank, paidCall, "acknowledge", null).status());
      assertEquals(403, post(http, viewer, paidCall, "acknowledge", null).status());
      assertEquals(
          "ACKNOWLEDGED",
          post(http, admin, paidCall, "acknowledge", null).json().getString("state"));
      AlertEvent.CallChanged byTheDesk = next(told);
      assertEquals("ACKNOWLEDGED", byTheDesk.to());
      assertEquals("DESK", byTheDesk.cause().kind());
      assertEquals("admin-a", byTheDesk.cause().actor());
      assertEquals(409, post(http, admin, paidCall, "acknowledge", null).status());
      assertEquals(400, post(http, admin, curedCall, "dispute", null).status());
      assertEquals(
          "DISPUTED",
          post(http, admin, curedCall, "dispute", "the borrower contests the valuation")
              .json()
              .getString("state"));
      assertEquals("DISPUTED", next(told).to());

      // Paying down to 495,000: coverage 1.311, still called (out takes 1.32): partly met.
      assertEquals(
          200, http.patch("/api/v1/pledges/" + paid, admin, "{\"outstanding\":495000}").status());
      assertEquals("PARTIALLY_MET", next(told).to());
      // To 450,000: coverage 1.442, healthy: met, by the book.
      assertEquals(
          200, http.patch("/api/v1/pledges/" + paid, admin, "{\"outstanding\":450000}").status());
      AlertEvent.CallChanged met = next(told);
      assertEquals("MET", met.to());
      assertEquals("BOOK", met.cause().kind());
      assertEquals("admin-a", met.cause().actor());
      assertEquals(409, post(http, admin, paidCall, "dispute", "too late").status());
      assertEquals(
          "RESOLVED",
          post(http, admin, paidCall, "resolve", "collected").json().getString("state"));
      assertEquals("RESOLVED", next(told).to());

      // The market lifts the other one: 66.10 → 1.322, out of the call: cured.
      tick(http, feed, 66.10, 2);
      AlertEvent.CallChanged cure = next(told);
      assertEquals("CURED", cure.to());
      assertEquals("DISPUTED", cure.from());
      assertEquals("MARKET", cure.cause().kind());

      JsonObject history = http.get("/api/v1/margin-calls/" + paidCall, admin).json();
      assertEquals("RESOLVED", history.getString("state"));
      assertEquals(
          java.util.List.of("OPEN", "ACKNOWLEDGED", "PARTIALLY_MET", "MET", "RESOLVED"),
          history.getJsonArray("history").stream()
              .map(e -> ((JsonObject) e).getString("to"))
              .toList());
      JsonObject acknowledged = history.getJsonArray("history").getJsonObject(1);
      assertEquals("DESK", acknowledged.getString("cause"));
      assertEquals("admin-a", acknowledged.getString("actor"));
      // The regulator sees every bank's calls.
      assertEquals(
          2,
          http.get("/api/v1/margin-calls", tokens.token("reg", null, "regulator"))
              .json()
              .getJsonArray("items")
              .size());
      // Desk moves are audited.
      assertTrue(
          http.get("/api/v1/audit", admin).json().encode().contains("margin-call.acknowledged"));
    }
  }

  @Test
  void aCallIsMetByMoreQuantityPledgedAndFewerUnitsNeedASecondRiskAdmin() throws Exception {
    try (Node node = start()) {
      Http http = node.http();
      Tokens tokens = node.tokens();
      BlockingQueue<AlertEvent.CallChanged> told = node.told();
      String admin = tokens.token("admin-a", "BANK-A", "viewer", "risk-admin");
      String id = pledge(http, admin, "CERT-MORE");
      tick(http, tokens.token("connector", null, "feed"), 64.90, 1);
      assertEquals("OPEN", next(told).to());
      // Fewer units would deepen the hole: that takes a second risk-admin.
      Http.Response fewer = http.patch("/api/v1/pledges/" + id, admin, "{\"quantity\":9000}");
      assertEquals(202, fewer.status(), fewer.body());
      assertEquals("pledge.quantity-down", fewer.json().getString("action"));
      // 2,000 t more (a new certificate): 12,000 × 64.90 / 500,000 = 1.5576, healthy: the call is
      // met. More units come under their own registry certificate.
      Http.Response unnamed = http.patch("/api/v1/pledges/" + id, admin, "{\"quantity\":12000}");
      assertEquals(400, unnamed.status(), unnamed.body());
      assertTrue(unnamed.body().contains("addedCertificate"), unnamed.body());
      Http.Response more =
          http.patch(
              "/api/v1/pledges/" + id,
              admin,
              "{\"quantity\":12000,\"addedCertificate\":\"CERT-MORE-2\"}");
      assertEquals(200, more.status(), more.body());
      assertEquals("12000", more.json().getValue("quantity").toString());
      JsonObject added =
          http.get("/api/v1/pledges/" + id, admin)
              .json()
              .getJsonArray("addedCertificates")
              .getJsonObject(0);
      assertEquals("CERT-MORE-2", added.getString("certificate"));
      assertEquals(2000, added.getInteger("quantity"));
      // The added certificate is watched for double pledges like the first: another bank's pledge
      // of it is a conflict the regulator sees.
      String otherBank = tokens.token("admin-b", "BANK-B", "viewer", "risk-admin");
      pledge(http, otherBank, "CERT-MORE-2");
      JsonArray conflicts =
          http.get("/api/v1/registry/conflicts", tokens.token("reg", null, "regulator"))
              .json()
              .getJsonArray("items");
      assertEquals(1, conflicts.size(), conflicts.encode());
      assertEquals("CERT-MORE-2", conflicts.getJsonObject(0).getString("certificate"));
      AlertEvent.CallChanged met = next(told);
      assertEquals("MET", met.to());
      assertEquals("BOOK", met.cause().kind());
    }
  }

  @Test
  void aCallIsMetByCashMarginCountedAtFullValue() throws Exception {
    try (Node node = start()) {
      Http http = node.http();
      Tokens tokens = node.tokens();
      BlockingQueue<AlertEvent.CallChanged> told = node.told();
      String admin = tokens.token("admin-a", "BANK-A", "viewer", "risk-admin");
      String id = pledge(http, admin, "CERT-CASH");
      tick(http, tokens.token("connector", null, "feed"), 64.90, 1);
      assertEquals("OPEN", next(told).to());
      // 5,000.00 of cash: (649,000 + 5,000) / 500,000 = 1.308, still under 1.32: partly met.
      assertEquals(
          200, http.patch("/api/v1/pledges/" + id, admin, "{\"cashMargin\":5000}").status());
      AlertEvent.CallChanged partly = next(told);
      assertEquals("PARTIALLY_MET", partly.to());
      // what is still due: 833,333.33 − 654,000.00
      assertEquals("179333.33", partly.amountDue().toPlainString());
      // 20,000.00: (649,000 + 20,000) / 500,000 = 1.338 clears 1.30 + 0.02: met, by the book.
      Http.Response paid = http.patch("/api/v1/pledges/" + id, admin, "{\"cashMargin\":20000.00}");
      assertEquals(200, paid.status(), paid.body());
      JsonObject valuation = paid.json().getJsonObject("valuation");
      assertEquals(20_000.0, valuation.getDouble("cashMargin"));
      assertEquals(1.338, valuation.getDouble("coverage"));
      assertEquals("WARNING", valuation.getString("status"));
      AlertEvent.CallChanged met = next(told);
      assertEquals("MET", met.to());
      assertEquals("BOOK", met.cause().kind());
      // Taking the cash back takes a second risk-admin; a negative or sub-fen amount is refused.
      Http.Response back = http.patch("/api/v1/pledges/" + id, admin, "{\"cashMargin\":0}");
      assertEquals(202, back.status(), back.body());
      assertEquals("pledge.cash-margin-down", back.json().getString("action"));
      assertEquals(400, http.patch("/api/v1/pledges/" + id, admin, "{\"cashMargin\":-1}").status());
      Http.Response subFen = http.patch("/api/v1/pledges/" + id, admin, "{\"cashMargin\":1.001}");
      assertEquals(400, subFen.status());
      assertTrue(subFen.body().contains("cashMargin"), subFen.body());
    }
  }

  @Test
  void aBankSetsItsOwnTimeToMeetACall() throws Exception {
    try (Node node = start()) {
      Http http = node.http();
      Tokens tokens = node.tokens();
      BlockingQueue<AlertEvent.CallChanged> told = node.told();
      String maker = tokens.token("admin-a", "BANK-A", "viewer", "risk-admin");
      String checker = tokens.token("checker-a", "BANK-A", "viewer", "risk-admin");
      String adminB = tokens.token("admin-b", "BANK-B", "viewer", "risk-admin");
      String policy =
          "{\"fourEyes\":[\"pledge.lines\",\"pledge.release-with-call\",\"pledge.quantity-down\","
              + "\"pledge.cash-margin-down\",\"call.cancel\",\"disposal.decide\"],\"callDueDays\":5}";
      // Five days instead of two gives the borrower more time: a relaxation, four-eyes.
      Http.Response asked = http.send("PUT", "/api/v1/policy", maker, policy);
      assertEquals(202, asked.status(), asked.body());
      Http.Response approved =
          http.post(
              "/api/v1/change-requests/" + asked.json().getLong("id") + "/approve", checker, "{}");
      assertEquals(200, approved.status(), approved.body());
      assertEquals(5, approved.json().getInteger("callDueDays"));
      assertEquals(
          400, http.send("PUT", "/api/v1/policy", maker, policy.replace(":5}", ":31}")).status());
      String a = pledge(http, maker, "CERT-DAYS-A");
      String b = pledge(http, adminB, "CERT-DAYS-B");
      tick(http, tokens.token("connector", null, "feed"), 64.90, 1);
      java.util.Map<String, Instant> due = new java.util.HashMap<>();
      for (int i = 0; i < 2; i++) {
        next(told);
      }
      for (String token : java.util.List.of(maker, adminB)) {
        JsonObject call =
            http.get("/api/v1/margin-calls", token).json().getJsonArray("items").getJsonObject(0);
        due.put(call.getString("pledgeId"), Instant.parse(call.getString("dueAt")));
      }
      // BANK-A's call is due three trading days after BANK-B's (which has the default two).
      assertTrue(java.time.Duration.between(due.get(b), due.get(a)).toDays() >= 3, due.toString());
    }
  }

  @Test
  void closingALiveCallTakesASecondRiskAdmin() throws Exception {
    try (Node node = start()) {
      Http http = node.http();
      Tokens tokens = node.tokens();
      BlockingQueue<AlertEvent.CallChanged> told = node.told();
      String maker = tokens.token("admin-a", "BANK-A", "viewer", "risk-admin");
      String checker = tokens.token("checker-a", "BANK-A", "viewer", "risk-admin");
      pledge(http, maker, "CERT-CANCEL");
      tick(http, tokens.token("connector", null, "feed"), 64.90, 1);
      assertEquals("OPEN", next(told).to());
      long call =
          http.get("/api/v1/margin-calls", maker)
              .json()
              .getJsonArray("items")
              .getJsonObject(0)
              .getLong("id");
      Http.Response asked = post(http, maker, call, "resolve", "settled outside the book");
      assertEquals(202, asked.status(), asked.body());
      assertEquals("call.cancel", asked.json().getString("action"));
      assertEquals(
          "OPEN", http.get("/api/v1/margin-calls/" + call, maker).json().getString("state"));
      long request = asked.json().getLong("id");
      assertEquals(
          403, http.post("/api/v1/change-requests/" + request + "/approve", maker, "{}").status());
      Http.Response approved =
          http.post("/api/v1/change-requests/" + request + "/approve", checker, "{}");
      assertEquals(200, approved.status(), approved.body());
      assertEquals("RESOLVED", approved.json().getString("state"));
      JsonObject resolved =
          http.get("/api/v1/margin-calls/" + call, maker)
              .json()
              .getJsonArray("history")
              .getJsonObject(1);
      assertEquals("checker-a", resolved.getString("actor"));
      assertEquals("settled outside the book", resolved.getString("reason"));
    }
  }

  @Test
  void anEscalatedCallOpensADisposalCaseDecidedUnderFourEyes() throws Exception {
    try (Node node = start()) {
      Http http = node.http();
      Tokens tokens = node.tokens();
      BlockingQueue<AlertEvent.CallChanged> told = node.told();
      io.greenpledge.config.Settings settings = node.settings();
      String maker = tokens.token("admin-a", "BANK-A", "viewer", "risk-admin");
      String checker = tokens.token("checker-a", "BANK-A", "viewer", "risk-admin");
      String otherBank = tokens.token("admin-b", "BANK-B", "viewer", "risk-admin");
      String regulator = tokens.token("reg", null, "regulator");
      String id = pledge(http, maker, "CERT-SOLD");
      String feed = tokens.token("connector", null, "feed");
      tick(http, feed, 64.90, 1); // 1.298: a margin call
      assertEquals("OPEN", next(told).to());
      // Its due time passes (the test moves it rather than waiting two trading days): overdue.
      try (java.sql.Connection db =
          io.greenpledge.support.TestDatabase.connect(settings.store().pgUrl().orElseThrow())) {
        db.createStatement()
            .execute("UPDATE margin_calls SET due_at = now() - interval '1 minute'");
      }
      assertEquals("OVERDUE", next(told).to());
      assertEquals(0, http.get("/api/v1/disposals", maker).json().getJsonArray("items").size());
      // A further drawdown to 550,000: 649,000 / 550,000 = 1.18, below the disposal line: the
      // overdue call escalates.
      Http.Response drawn = http.patch("/api/v1/pledges/" + id, maker, "{\"outstanding\":550000}");
      assertEquals(200, drawn.status(), drawn.body());
      assertEquals(
          "DISPOSAL", drawn.json().getJsonObject("valuation").getString("status"), drawn.body());
      assertEquals("ESCALATED", next(told).to());

      JsonArray cases = http.get("/api/v1/disposals", maker).json().getJsonArray("items");
      assertEquals(1, cases.size());
      JsonObject opened = cases.getJsonObject(0);
      assertEquals("OPEN", opened.getString("state"));
      assertEquals(id, opened.getString("pledgeId"));
      long caseId = opened.getLong("id");
      String path = "/api/v1/disposals/" + caseId;
      // Isolation: another bank sees nothing of it and cannot decide it; the regulator sees it.
      assertEquals(0, http.get("/api/v1/disposals", otherBank).json().getJsonArray("items").size());
      assertEquals(404, http.get(path, otherBank).status());
      assertEquals(
          404, http.post(path + "/forbear", otherBank, forbearance("no", 30).encode()).status());
      assertEquals(1, http.get("/api/v1/disposals", regulator).json().getJsonArray("items").size());

      // Forbear for 30 days: the maker asks, the checker approves.
      Http.Response wait =
          http.post(
              path + "/forbear", maker, forbearance("harvest income due in March", 30).encode());
      assertEquals(202, wait.status(), wait.body());
      assertEquals("disposal.decide", wait.json().getString("action"));
      Http.Response forborne = approve(http, checker, wait.json().getLong("id"));
      assertEquals(200, forborne.status(), forborne.body());
      assertEquals("FORBORNE", forborne.json().getString("state"));
      assertEquals("checker-a", forborne.json().getString("decidedBy"));
      assertEquals(
          "harvest income due in March",
          forborne.json().getJsonObject("decision").getString("reason"));

      // Bad sales are refused before any checker sees them.
      assertEquals(
          400, http.post(path + "/dispose", maker, sale(10_001, 57.5, "2026-01-05")).status());
      Http.Response future = http.post(path + "/dispose", maker, sale(10_000, 57.5, "2999-01-01"));
      assertEquals(400, future.status());
      assertTrue(future.body().contains("soldOn"), future.body());

      // The bank sells before the forbearance ends: 10,000 t at 57.50 = 575,000.00 repays the
      // 550,000.00 outstanding; 25,000.00 is owed back to the borrower.
      Http.Response sell =
          http.post(
              path + "/dispose",
              maker,
              sale(
                  10_000,
                  57.5,
                  java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString()));
      assertEquals(202, sell.status(), sell.body());
      long request = sell.json().getLong("id");
      assertEquals(403, approve(http, maker, request).status());
      assertEquals(404, approve(http, otherBank, request).status());
      Http.Response sold = approve(http, checker, request);
      assertEquals(200, sold.status(), sold.body());
      JsonObject decision = sold.json().getJsonObject("decision");
      assertEquals("DISPOSED", sold.json().getString("state"));
      assertEquals(575_000.0, decision.getDouble("proceeds"));
      assertEquals(550_000.0, decision.getDouble("recovery"));
      assertEquals(0.0, decision.getDouble("shortfall"));
      assertEquals(25_000.0, decision.getDouble("surplus"));
      // The pledge is released and its call resolved, by the book.
      assertEquals("RELEASED", http.get("/api/v1/pledges/" + id, maker).json().getString("state"));
      AlertEvent.CallChanged resolved = next(told);
      assertEquals("RESOLVED", resolved.to());
      assertEquals("BOOK", resolved.cause().kind());
      assertEquals(
          409, http.post(path + "/forbear", maker, forbearance("late", 5).encode()).status());
      String audit = http.get("/api/v1/audit", maker).json().encode();
      assertTrue(audit.contains("disposal.forborne"), audit);
      assertTrue(audit.contains("disposal.disposed"), audit);
      assertTrue(!http.get("/api/v1/audit", otherBank).json().encode().contains("disposal."));
    }
  }

  private static JsonObject forbearance(String reason, int days) {
    return new JsonObject()
        .put("reason", reason)
        .put("until", Instant.now().plus(java.time.Duration.ofDays(days)).toString());
  }

  private static String sale(double quantity, double price, String soldOn) {
    return new JsonObject()
        .put("quantity", quantity)
        .put("price", price)
        .put("soldOn", soldOn)
        .encode();
  }

  private static Http.Response approve(Http http, String token, long request) {
    return http.post("/api/v1/change-requests/" + request + "/approve", token, "{}");
  }

  /** A gateway of one test's own, and the margin-call alerts it tells, in order. */
  private record Node(
      Gateway gateway,
      io.greenpledge.config.Settings settings,
      Http http,
      Tokens tokens,
      BlockingQueue<AlertEvent.CallChanged> told)
      implements AutoCloseable {

    @Override
    public void close() {
      gateway.close();
    }
  }

  private Node start() throws Exception {
    io.greenpledge.config.Settings settings =
        TestSettings.with(dataDir, "GP_FEEDS", "ingest", "GP_DEMO", "false");
    Gateway gateway = Gateway.start(settings);
    BlockingQueue<AlertEvent.CallChanged> told = new LinkedBlockingQueue<>();
    Bus.ALERTS.subscribe(
        gateway.vertx(),
        (Alert alert) -> {
          if (alert.event() instanceof AlertEvent.CallChanged c) {
            told.add(c);
          }
        });
    return new Node(gateway, settings, new Http(gateway.httpPort()), Tokens.local(dataDir), told);
  }

  private static AlertEvent.CallChanged next(BlockingQueue<AlertEvent.CallChanged> told)
      throws InterruptedException {
    AlertEvent.CallChanged event = told.poll(15, TimeUnit.SECONDS);
    assertNotNull(event, "a margin-call alert");
    return event;
  }

  private static String pledge(Http http, String admin, String certificate) {
    JsonObject body =
        new JsonObject()
            .put("borrower", "重庆某化工有限公司")
            .put("borrowerCode", "91350100M000100Y43")
            .put("loanId", "L-" + certificate)
            .put("instrument", "CEA")
            .put("quantity", 10_000)
            .put("certificate", certificate)
            .put("outstanding", 500_000)
            .put("markBasis", "LAST");
    Http.Response created = http.post("/api/v1/pledges", admin, body.encode());
    assertEquals(201, created.status(), created.body());
    return created.json().getString("id");
  }

  private static void tick(Http http, String feed, double price, long seq) {
    Http.Response response =
        http.post(
            "/api/v1/ticks",
            feed,
            new JsonObject()
                .put(
                    "ticks",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("instrument", "CEA")
                                .put("price", price)
                                .put("quantity", 10)
                                .put("ts", Instant.now().toString())
                                .put("seq", seq)))
                .encode());
    assertEquals(
        "ACCEPTED",
        response.json().getJsonArray("results").getJsonObject(0).getString("status"),
        response.body());
  }

  private static Http.Response post(
      Http http, String token, long call, String action, String reason) {
    return http.post(
        "/api/v1/margin-calls/" + call + "/" + action,
        token,
        reason == null ? "{}" : new JsonObject().put("reason", reason).encode());
  }

  private static long callOf(JsonArray calls, String pledgeId) {
    return calls.stream()
        .map(c -> (JsonObject) c)
        .filter(c -> c.getString("pledgeId").equals(pledgeId))
        .findFirst()
        .orElseThrow()
        .getLong("id");
  }
}
