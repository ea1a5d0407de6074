package io.greenpledge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.greenpledge.Gateway;
import io.greenpledge.auth.LocalKeys;
import io.greenpledge.support.Http;
import io.greenpledge.support.TestSettings;
import io.greenpledge.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The identity provider rotates its keys: the gateway reads its JWKS again (periodically, and when
 * a token names a key id it does not know), so a token of the new key is accepted without a
 * restart, and one of a key the JWKS dropped is refused.
 */
class JwksRotationIT {

  @TempDir Path dataDir;

  @Test
  void aRotatedKeyIsTakenUpWithoutARestart() throws Exception {
    LocalKeys first = LocalKeys.generate();
    LocalKeys second = LocalKeys.generate();
    AtomicReference<JsonObject> served =
        new AtomicReference<>(new JsonObject().put("keys", new JsonArray().add(jwk(first, "k1"))));
    Vertx idp = Vertx.vertx();
    try {
      HttpServer server =
          idp.createHttpServer()
              .requestHandler(
                  request ->
                      request
                          .response()
                          .putHeader("Content-Type", "application/json")
                          .end(served.get().encode()))
              .listen(0, "127.0.0.1")
              .await(10, TimeUnit.SECONDS);
      try (Gateway gateway =
          Gateway.start(
              TestSettings.with(
                  dataDir,
                  "GP_FEEDS",
                  "ingest",
                  "GP_DEMO",
                  "false",
                  "GP_JWT_JWKS_URL",
                  "http://127.0.0.1:" + server.actualPort() + "/jwks",
                  "GP_JWT_JWKS_REFRESH",
                  "2s",
                  "GP_JWT_ISSUER",
                  "https://idp.bank.example/",
                  "GP_JWT_AUDIENCE",
                  "greenpledge"))) {
        Http http = new Http(gateway.httpPort());
        String byFirst = token(first, "k1");
        String bySecond = token(second, "k2");
        assertEquals(200, http.get("/api/v1/prices", byFirst).status());
        assertEquals(401, http.get("/api/v1/prices", bySecond).status());

        // the IdP rotates: the second key in, the first out
        served.set(new JsonObject().put("keys", new JsonArray().add(jwk(second, "k2"))));
        assertEquals(200, statusWithin(http, bySecond, 200), "the new key is taken up");
        assertEquals(401, statusWithin(http, byFirst, 401), "the dropped key is refused");
      }
    } finally {
      idp.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** The status of a request, asked again until it is {@code wanted} (at most 15 s). */
  private static int statusWithin(Http http, String token, int wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    int status;
    do {
      status = http.get("/api/v1/prices", token).status();
    } while (status != wanted && System.nanoTime() < deadline);
    return status;
  }

  private static String token(LocalKeys keys, String kid) {
    Tokens tokens = new Tokens(keys, "https://idp.bank.example/", "greenpledge");
    return tokens.sign(
        new JsonObject().put("alg", "RS256").put("typ", "JWT").put("kid", kid),
        tokens.claims("analyst", "BANK-J", "viewer"));
  }

  /** The RSA public key as a JWK. */
  private static JsonObject jwk(LocalKeys keys, String kid) throws Exception {
    String base64 = keys.publicPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    RSAPublicKey key =
        (RSAPublicKey)
            KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    return new JsonObject()
        .put("kty", "RSA")
        .put("kid", kid)
        .put("alg", "RS256")
        .put("use", "sig")
        .put("n", unsigned(key.getModulus()))
        .put("e", unsigned(key.getPublicExponent()));
  }

  private static String unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes[0] == 0) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
