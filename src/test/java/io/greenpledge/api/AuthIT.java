package io.greenpledge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.auth.LocalKeys;
import io.greenpledge.support.GatewayExtension;
import io.greenpledge.support.Http;
import io.greenpledge.support.Tokens;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every way a token can be wrong is a 401, every missing role a 403, both as problem+json. */
class AuthIT {

  @RegisterExtension
  static final GatewayExtension node = new GatewayExtension("GP_FEEDS", "ingest");

  private static void assertProblem(int status, Http.Response response) {
    assertEquals(status, response.status(), response.body());
    assertEquals("application/problem+json", response.contentType());
    JsonObject problem = response.json();
    assertEquals(status, problem.getInteger("status"));
    assertTrue(problem.getString("type").startsWith("https://"), problem.encode());
  }

  @Test
  void aValidTokenIsAccepted() {
    assertEquals(
        200,
        node.http().get("/api/v1/prices", node.tokens().token("a", "DEMO-A", "viewer")).status());
  }

  @Test
  void noTokenIs401() {
    assertProblem(401, node.http().get("/api/v1/prices", null));
  }

  @Test
  void garbageTokenIs401() {
    assertProblem(401, node.http().get("/api/v1/prices", "not.a.jwt"));
  }

  @Test
  void tokenSignedByAnotherKeyIs401() {
    Tokens stranger = new Tokens(LocalKeys.generate(), "greenpledge-local", "greenpledge-gateway");
    assertProblem(401, node.http().get("/api/v1/prices", stranger.token("a", "DEMO-A", "viewer")));
  }

  @Test
  void unsignedAlgNoneTokenIs401() {
    assertProblem(
        401,
        node.http()
            .get("/api/v1/prices", Tokens.unsigned(node.tokens().claims("a", "DEMO-A", "viewer"))));
  }

  @Test
  void expiredTokenIs401() {
    long past = Instant.now().getEpochSecond() - 3600;
    JsonObject claims =
        node.tokens().claims("a", "DEMO-A", "viewer").put("iat", past - 60).put("exp", past);
    assertProblem(401, node.http().get("/api/v1/prices", node.tokens().sign(claims)));
  }

  @Test
  void notYetValidTokenIs401() {
    JsonObject claims =
        node.tokens()
            .claims("a", "DEMO-A", "viewer")
            .put("nbf", Instant.now().getEpochSecond() + 3600);
    assertProblem(401, node.http().get("/api/v1/prices", node.tokens().sign(claims)));
  }

  @Test
  void wrongAudienceOrIssuerIs401() {
    assertProblem(
        401,
        node.http()
            .get(
                "/api/v1/prices",
                node.tokens()
                    .sign(node.tokens().claims("a", "DEMO-A", "viewer").put("aud", "other-app"))));
    assertProblem(
        401,
        node.http()
            .get(
                "/api/v1/prices",
                node.tokens()
                    .sign(node.tokens().claims("a", "DEMO-A", "viewer").put("iss", "evil-idp"))));
  }

  @Test
  void viewerWithoutABankClaimHasNoRole() {
    assertProblem(403, node.http().get("/api/v1/prices", node.tokens().token("a", null, "viewer")));
  }

  @Test
  void viewerCannotIngestTicks() {
    assertProblem(
        403,
        node.http()
            .post(
                "/api/v1/ticks",
                node.tokens().token("a", "DEMO-A", "viewer"),
                "{\"ticks\":[{\"instrument\":\"CEA\",\"price\":70,\"quantity\":1,\"ts\":\"2026-01-01T00:00:00Z\",\"seq\":1}]}"));
  }

  @Test
  void unknownPathIsAProblem404() {
    assertProblem(
        404, node.http().get("/api/v1/nothing-here", node.tokens().token("a", "DEMO-A", "viewer")));
  }
}
