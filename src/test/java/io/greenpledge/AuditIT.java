package io.greenpledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.config.Settings;
import io.greenpledge.support.Http;
import io.greenpledge.support.TestDatabase;
import io.greenpledge.support.TestSettings;
import io.greenpledge.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail on a running gateway: every write recorded with its actor, request id, client
 * address and the state before and after; each bank reads only its own entries; the chain holds,
 * refuses edits, and `audit verify` finds a changed or removed entry.
 */
class AuditIT {

  @TempDir Path dataDir;

  @Test
  void everyWriteIsRecordedAndTheChainShowsTampering() throws Exception {
    Settings settings = TestSettings.with(dataDir, "GP_FEEDS", "ingest", "GP_DEMO", "false");
    String url = settings.store().pgUrl().orElseThrow();
    try (Gateway gateway = Gateway.start(settings)) {
      Http http = new Http(gateway.httpPort());
      Tokens tokens = Tokens.local(dataDir);
      String adminA = tokens.token("admin-a", "BANK-A", "viewer", "risk-admin");
      String adminB = tokens.token("admin-b", "BANK-B", "viewer", "risk-admin");
      String id = created(gateway, adminA, "bank-req-1", "CERT-A");
      assertEquals(
          200, http.patch("/api/v1/pledges/" + id, adminA, "{\"outstanding\":450000}").status());
      assertEquals(200, http.post("/api/v1/pledges/" + id + "/release", adminA, "{}").status());
      created(gateway, adminB, "bank-b-req", "CERT-B");
      http.post(
          "/api/v1/history?instrument=CEA",
          tokens.token("ops", null, "market-admin"),
          "text/csv",
          "date,close,volume\n2025-03-03,70.00,100\n".getBytes(StandardCharsets.UTF_8));

      JsonArray own = http.get("/api/v1/audit", adminA).json().getJsonArray("items");
      assertEquals(3, own.size(), own.encodePrettily());
      JsonObject create = own.getJsonObject(0);
      assertEquals("pledge.create", create.getString("action"));
      assertEquals("admin-a", create.getString("actor"));
      assertEquals("bank-req-1", create.getString("requestId"));
      assertEquals("127.0.0.1", create.getString("clientAddress"));
      assertNull(create.getString("before"));
      // The state as the exact JSON text the hash covers.
      assertTrue(create.getString("after").contains("\"outstanding\":500000.00"), create.encode());
      JsonObject update = own.getJsonObject(1);
      assertEquals("pledge.update", update.getString("action"));
      assertTrue(update.getString("before").contains("\"outstanding\":500000.00"), update.encode());
      assertTrue(update.getString("after").contains("\"outstanding\":450000.00"), update.encode());
      assertEquals("pledge.release", own.getJsonObject(2).getString("action"));
      assertEquals(update.getString("hash"), own.getJsonObject(2).getString("prevHash"));
      // Bank isolation and roles on this path: BANK-B sees its one entry; a viewer none; the
      // regulator all five, the market-wide import included.
      assertEquals(1, http.get("/api/v1/audit", adminB).json().getJsonArray("items").size());
      assertEquals(403, http.get("/api/v1/audit", tokens.token("v", "BANK-A", "viewer")).status());
      JsonArray all =
          http.get("/api/v1/audit", tokens.token("reg", null, "regulator"))
              .json()
              .getJsonArray("items");
      assertEquals(
          List.of(
              "pledge.create",
              "pledge.update",
              "pledge.release",
              "pledge.create",
              "history.import"),
          all.stream().map(e -> ((JsonObject) e).getString("action")).toList());
    }
    assertTrue(verify(settings).startsWith("audit trail intact: 5 entries"), verify(settings));

    try (Connection connection = TestDatabase.connect(url)) {
      SQLException refused =
          assertThrows(
              SQLException.class,
              () ->
                  connection
                      .createStatement()
                      .execute("UPDATE audit_log SET actor = 'x' WHERE id = 2"));
      assertTrue(refused.getMessage().contains("append-only"), refused.getMessage());
      // Someone with the table owner's rights turns the guard off and edits an entry…
      connection
          .createStatement()
          .execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
      connection
          .createStatement()
          .execute("UPDATE audit_log SET actor = 'someone-else' WHERE id = 2");
      assertTrue(
          verify(settings).startsWith("audit trail BROKEN at entry #2: its fields do not match"));
      // …or puts it back and removes one instead.
      connection.createStatement().execute("UPDATE audit_log SET actor = 'admin-a' WHERE id = 2");
      assertTrue(verify(settings).startsWith("audit trail intact"));
      connection.createStatement().execute("DELETE FROM audit_log WHERE id = 3");
      assertTrue(
          verify(settings).startsWith("audit trail BROKEN at entry #4: its previous hash"),
          verify(settings));
    }
  }

  private static String created(Gateway gateway, String token, String requestId, String certificate)
      throws Exception {
    JsonObject pledge =
        new JsonObject()
            .put("borrower", "重庆某化工有限公司")
            .put("borrowerCode", "91350100M000100Y43")
            .put("loanId", "L-" + certificate)
            .put("instrument", "CEA")
            .put("quantity", 10_000)
            .put("certificate", certificate)
            .put("outstanding", 500_000);
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.httpPort() + "/api/v1/pledges"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .header("X-Request-Id", requestId)
                    .POST(HttpRequest.BodyPublishers.ofString(pledge.encode()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(201, response.statusCode(), response.body());
    assertEquals(requestId, response.headers().firstValue("X-Request-Id").orElseThrow());
    return new JsonObject(response.body()).getString("id");
  }

  private static String verify(Settings settings) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new AuditCommand(settings, new PrintStream(bytes, true, StandardCharsets.UTF_8))
        .run(List.of("verify"));
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
