package io.greenpledge.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.Gateway;
import io.greenpledge.support.Http;
import io.greenpledge.support.TestSettings;
import io.greenpledge.support.Tokens;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maker–checker on a running gateway: a change of lines waits for a second risk-admin of the same
 * bank; the maker cannot approve it, another bank cannot see it; approved, it is applied with the
 * checker as its actor; rejected or expired, it is not; a pledge changed since the request refuses
 * the approval.
 */
class FourEyesIT {

  @TempDir Path dataDir;

  @Test
  void aChangeOfLinesIsAppliedOnlyWhenASecondRiskAdminApprovesIt() throws Exception {
    try (Gateway gateway =
        Gateway.start(TestSettings.with(dataDir, "GP_FEEDS", "ingest", "GP_DEMO", "false"))) {
      Http http = new Http(gateway.httpPort());
      Tokens tokens = Tokens.local(dataDir);
      String maker = tokens.token("maker-a", "BANK-A", "viewer", "risk-admin");
      String checker = tokens.token("checker-a", "BANK-A", "viewer", "risk-admin");
      String otherBank = tokens.token("admin-b", "BANK-B", "viewer", "risk-admin");
      String id = pledge(http, maker);
      JsonObject lines =
          new JsonObject()
              .put("initialLtv", 0.5)
              .put("warning", 1.5)
              .put("marginCall", 1.4)
              .put("disposal", 1.25);
      Http.Response asked =
          http.patch("/api/v1/pledges/" + id, maker, new JsonObject().put("lines", lines).encode());
      assertEquals(202, asked.status(), asked.body());
      long request = asked.json().getLong("id");
      assertEquals("maker-a", asked.json().getString("maker"));
      // Not applied yet.
      assertEquals(1, http.get("/api/v1/pledges/" + id, maker).json().getInteger("version"));
      assertEquals(403, approve(http, maker, request).status(), "the maker cannot approve");
      assertEquals(404, approve(http, otherBank, request).status(), "another bank cannot see it");
      assertEquals(
          0, http.get("/api/v1/change-requests", otherBank).json().getJsonArray("items").size());
      assertEquals(
          1,
          http.get("/api/v1/change-requests?state=PENDING", checker)
              .json()
              .getJsonArray("items")
              .size());
      Http.Response approved = approve(http, checker, request);
      assertEquals(200, approved.status(), approved.body());
      assertEquals(2, approved.json().getInteger("version"));
      assertEquals("1.4", approved.json().getJsonObject("lines").getValue("marginCall").toString());
      assertEquals(409, approve(http, checker, request).status(), "decided once");
      // The audit names the maker's request and the checker's approval and change.
      String audit = http.get("/api/v1/audit", checker).json().encode();
      assertTrue(
          audit.contains("change-request.create") && audit.contains("change-request.approved"),
          audit);
      assertTrue(audit.contains("\"actor\":\"checker-a\",\"action\":\"pledge.update\""), audit);

      // Rejected: not applied.
      long second =
          http.patch(
                  "/api/v1/pledges/" + id,
                  maker,
                  new JsonObject().put("lines", lines.copy().put("warning", 1.6)).encode())
              .json()
              .getLong("id");
      assertEquals(
          400, http.post("/api/v1/change-requests/" + second + "/reject", checker, "{}").status());
      JsonObject rejected =
          http.post(
                  "/api/v1/change-requests/" + second + "/reject",
                  checker,
                  "{\"reason\":\"no basis\"}")
              .json();
      assertEquals("REJECTED", rejected.getString("state"));
      assertEquals(2, http.get("/api/v1/pledges/" + id, maker).json().getInteger("version"));

      // A pledge changed since the request: the approval is refused, the request stays pending.
      long third =
          http.patch(
                  "/api/v1/pledges/" + id,
                  maker,
                  new JsonObject().put("lines", lines.copy().put("warning", 1.7)).encode())
              .json()
              .getLong("id");
      assertEquals(
          200, http.patch("/api/v1/pledges/" + id, maker, "{\"outstanding\":400000}").status());
      assertEquals(409, approve(http, checker, third).status());
      assertEquals(
          "PENDING",
          http.get("/api/v1/change-requests", checker)
              .json()
              .getJsonArray("items")
              .getJsonObject(0)
              .getString("state"));
    }
  }

  @Test
  void aBankSetsItsOwnPolicyAndRelaxingItTakesTwo() throws Exception {
    try (Gateway gateway =
        Gateway.start(TestSettings.with(dataDir, "GP_FEEDS", "ingest", "GP_DEMO", "false"))) {
      Http http = new Http(gateway.httpPort());
      Tokens tokens = Tokens.local(dataDir);
      String maker = tokens.token("maker-a", "BANK-A", "viewer", "risk-admin");
      String checker = tokens.token("checker-a", "BANK-A", "viewer", "risk-admin");
      String otherBank = tokens.token("admin-b", "BANK-B", "viewer", "risk-admin");
      String regulator = tokens.token("reg", null, "regulator");
      JsonObject initial = http.get("/api/v1/policy", maker).json();
      assertEquals("DEFAULT", initial.getString("source"));
      assertTrue(initial.getJsonArray("fourEyes").contains("pledge.lines"), initial.encode());
      // Unknown actions are refused by name; a viewer cannot set it.
      Http.Response unknown = http.send("PUT", "/api/v1/policy", maker, "{\"fourEyes\":[\"x.y\"]}");
      assertEquals(400, unknown.status());
      assertEquals(
          403,
          http.send(
                  "PUT",
                  "/api/v1/policy",
                  tokens.token("v", "BANK-A", "viewer"),
                  "{\"fourEyes\":[]}")
              .status());
      // Taking pledge.lines off is itself a four-eyes change.
      JsonObject relaxed =
          new JsonObject()
              .put(
                  "fourEyes",
                  new io.vertx.core.json.JsonArray()
                      .add("pledge.release-with-call")
                      .add("pledge.quantity-down")
                      .add("call.cancel")
                      .add("disposal.decide"));
      Http.Response asked = http.send("PUT", "/api/v1/policy", maker, relaxed.encode());
      assertEquals(202, asked.status(), asked.body());
      assertEquals("policy.four-eyes", asked.json().getString("action"));
      assertEquals("DEFAULT", http.get("/api/v1/policy", maker).json().getString("source"));
      assertEquals(403, approve(http, maker, asked.json().getLong("id")).status());
      assertEquals(404, approve(http, otherBank, asked.json().getLong("id")).status());
      Http.Response approved = approve(http, checker, asked.json().getLong("id"));
      assertEquals(200, approved.status(), approved.body());
      assertEquals("BANK", approved.json().getString("source"));
      assertEquals("checker-a", approved.json().getString("updatedBy"));

      // Now BANK-A changes lines alone; BANK-B, on the default, still needs a second pair of eyes.
      String ownA = pledge(http, maker);
      JsonObject lines =
          new JsonObject()
              .put(
                  "lines",
                  new JsonObject()
                      .put("initialLtv", 0.5)
                      .put("warning", 1.5)
                      .put("marginCall", 1.4)
                      .put("disposal", 1.25));
      assertEquals(200, http.patch("/api/v1/pledges/" + ownA, maker, lines.encode()).status());
      String ownB = pledge(http, otherBank);
      assertEquals(202, http.patch("/api/v1/pledges/" + ownB, otherBank, lines.encode()).status());
      // Tightening applies at once: lines back under four-eyes.
      Http.Response tightened =
          http.send(
              "PUT",
              "/api/v1/policy",
              maker,
              relaxed
                  .copy()
                  .put("fourEyes", relaxed.getJsonArray("fourEyes").copy().add("pledge.lines"))
                  .encode());
      assertEquals(200, tightened.status(), tightened.body());
      assertEquals(202, http.patch("/api/v1/pledges/" + ownA, maker, lines.encode()).status());

      // Isolation: a bank reads only its own; the regulator names the bank.
      assertEquals(404, http.get("/api/v1/policy?bank=BANK-A", otherBank).status());
      assertEquals("DEFAULT", http.get("/api/v1/policy", otherBank).json().getString("source"));
      assertEquals(400, http.get("/api/v1/policy", regulator).status());
      assertEquals(
          "BANK", http.get("/api/v1/policy?bank=BANK-A", regulator).json().getString("source"));
      String audit = http.get("/api/v1/audit", maker).json().encode();
      assertTrue(audit.contains("policy.four-eyes"), audit);
    }
  }

  @Test
  void anExpiredRequestCannotBeApproved() throws Exception {
    try (Gateway gateway =
        Gateway.start(
            TestSettings.with(
                dataDir,
                "GP_FEEDS",
                "ingest",
                "GP_DEMO",
                "false",
                "GP_CHANGE_REQUEST_TTL",
                "1ms"))) {
      Http http = new Http(gateway.httpPort());
      Tokens tokens = Tokens.local(dataDir);
      String maker = tokens.token("maker-a", "BANK-A", "viewer", "risk-admin");
      String id = pledge(http, maker);
      long request =
          http.patch(
                  "/api/v1/pledges/" + id,
                  maker,
                  new JsonObject()
                      .put(
                          "lines",
                          new JsonObject()
                              .put("initialLtv", 0.5)
                              .put("warning", 1.5)
                              .put("marginCall", 1.4)
                              .put("disposal", 1.25))
                      .encode())
              .json()
              .getLong("id");
      Http.Response late =
          approve(http, tokens.token("checker-a", "BANK-A", "risk-admin"), request);
      assertEquals(409, late.status(), late.body());
      assertTrue(late.body().contains("EXPIRED"), late.body());
      assertEquals(
          1,
          http.get("/api/v1/change-requests?state=EXPIRED", maker)
              .json()
              .getJsonArray("items")
              .size());
    }
  }

  private static Http.Response approve(Http http, String token, long request) {
    return http.post("/api/v1/change-requests/" + request + "/approve", token, "{}");
  }

  private static String pledge(Http http, String token) {
    JsonObject body =
        new JsonObject()
            .put("borrower", "重庆某化工有限公司")
            .put("borrowerCode", "91350100M000100Y43")
            .put("loanId", "L-4E")
            .put("instrument", "CEA")
            .put("quantity", 10_000)
            .put("certificate", "CERT-4E")
            .put("outstanding", 500_000);
    Http.Response created = http.post("/api/v1/pledges", token, body.encode());
    assertEquals(201, created.status(), created.body());
    return created.json().getString("id");
  }
}
