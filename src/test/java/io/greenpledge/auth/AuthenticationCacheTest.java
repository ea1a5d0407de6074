package io.greenpledge.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The verified-token cache answers a token it verified with that token's own caller, and never
 * answers a different token text from it, however much of the text the two share: the cache hashes
 * a token on its last characters (the signature), so a token whose claims were rewritten under a
 * copied signature lands beside the genuine one.
 */
class AuthenticationCacheTest {

  private static final Settings.Jwt JWT = io.greenpledge.support.TestSettings.LOCAL_JWT;

  private final Vertx vertx = Vertx.vertx();
  private final Authentication authentication =
      Authentication.local(vertx, JWT, LocalKeys.generate());

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void eachCachedTokenAnswersWithItsOwnCaller() throws Exception {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      tokens.add(
          authentication.mint(
              "analyst-" + i, Optional.of("BANK-" + i), List.of("viewer"), Duration.ofMinutes(30)));
    }
    List<Caller> first = new ArrayList<>();
    for (String token : tokens) {
      first.add(await(authentication.verifyCached(token)));
    }
    for (int i = 0; i < tokens.size(); i++) {
      Caller again = await(authentication.verifyCached(tokens.get(i)));
      assertSame(first.get(i), again, "the second answer comes from the cache");
      assertEquals(Optional.of("BANK-" + i), again.bank());
    }
  }

  @Test
  void aTokenRewrittenUnderACopiedSignatureIsRefusedAfterTheGenuineOneIsCached() throws Exception {
    String genuine =
        authentication.mint(
            "analyst", Optional.of("BANK-A"), List.of("viewer"), Duration.ofMinutes(30));
    assertEquals(Optional.of("BANK-A"), await(authentication.verifyCached(genuine)).bank());

    String[] parts = genuine.split("\\.");
    JsonObject claims =
        new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
            .put("bank", "BANK-B");
    String forged =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];

    Future<Caller> answer = authentication.verifyCached(forged);
    assertTrue(
        answer.toCompletionStage().toCompletableFuture().handle((c, e) -> e != null).join(),
        "a forged token was accepted as " + answer.result());
    assertEquals(Optional.of("BANK-A"), await(authentication.verifyCached(genuine)).bank());
  }

  private static Caller await(Future<Caller> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }
}
