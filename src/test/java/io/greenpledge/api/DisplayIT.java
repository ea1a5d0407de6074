package io.greenpledge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.support.GatewayExtension;
import io.greenpledge.support.Http;
import io.greenpledge.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Wall screens: a risk-admin names a display and gets its read-only token; the display renews it
 * itself; another bank neither sees nor revokes it; revoking it refuses its token at once and
 * closes its socket (4401); both are in the bank's audit trail.
 */
class DisplayIT {

  @RegisterExtension
  static final GatewayExtension node =
      new GatewayExtension("GP_FEEDS", "ingest", "GP_DEMO", "false", "GP_RATE_LIMIT", "0");

  @Test
  void aDisplayReadsRenewsItselfAndIsRevokedForGood() throws Exception {
    Http http = node.http();
    String admin = node.tokens().token("admin-a", "BANK-A", "risk-admin");
    String other = node.tokens().token("admin-b", "BANK-B", "risk-admin");
    Http.Response created =
        http.post("/api/v1/displays", admin, new JsonObject().put("name", "风控室 2 号屏").encode());
    assertEquals(201, created.status(), created.body());
    JsonObject display = created.json();
    String id = display.getString("id");
    String token = display.getString("token");
    assertEquals("BANK-A", display.getString("bank"));
    assertTrue(display.getString("link").startsWith("/#token="));

    // read-only: it reads its bank's book, it writes nothing, it creates no display
    assertEquals(200, http.get("/api/v1/pledges", token).status());
    assertEquals(403, http.post("/api/v1/pledges", token, "{}").status());
    assertEquals(403, http.post("/api/v1/displays", token, "{\"name\":\"another\"}").status());

    // another bank does not see it and cannot revoke it
    assertFalse(http.get("/api/v1/displays", other).body().contains(id));
    assertEquals(404, http.send("DELETE", "/api/v1/displays/" + id, other, null).status());
    assertTrue(http.get("/api/v1/displays", admin).body().contains(id));

    // the wall renews its own token; a person's token cannot
    Http.Response renewed = http.send("POST", "/api/v1/displays/renew", token, null);
    assertEquals(200, renewed.status(), renewed.body());
    String next = renewed.json().getString("token");
    // a week from now (the same token text when renewed within the second it was made)
    assertTrue(
        expiry(next) >= expiry(token)
            && expiry(next) > System.currentTimeMillis() / 1000 + 6 * 86_400);
    assertEquals(
        403,
        http.send(
                "POST",
                "/api/v1/displays/renew",
                node.tokens().token("v", "BANK-A", "viewer"),
                null)
            .status());

    try (WsClient wall = new WsClient(node.gateway().httpPort(), "/ws")) {
      wall.send(new JsonObject().put("op", "auth").put("token", next));
      assertEquals("display:" + id, wall.next("authenticated", 5).getString("subject"));
      Http.Response revoked = http.send("DELETE", "/api/v1/displays/" + id, admin, null);
      assertEquals(200, revoked.status(), revoked.body());
      assertEquals(4401, wall.awaitClose(5).code());
    }
    assertEquals(401, http.get("/api/v1/pledges", next).status());
    assertEquals(401, http.get("/api/v1/pledges", token).status());
    assertEquals(401, http.send("POST", "/api/v1/displays/renew", next, null).status());
    assertEquals(404, http.send("DELETE", "/api/v1/displays/" + id, admin, null).status());

    String trail = http.get("/api/v1/audit?after=0", admin).body();
    assertTrue(trail.contains("display.create") && trail.contains("display.revoke"), trail);
    assertFalse(http.get("/api/v1/audit?after=0", other).body().contains(id));
  }

  private static long expiry(String jwt) {
    return new JsonObject(
            new String(
                java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8))
        .getLong("exp");
  }
}
