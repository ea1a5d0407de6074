package io.greenpledge.support;

import io.greenpledge.auth.LocalKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;

/**
 * Hand-built JWTs, so tests control every claim and header: expired, not yet valid, wrong audience,
 * wrong key, {@code alg: none}.
 */
public final class Tokens {

  private final LocalKeys keys;
  private final String issuer;
  private final String audience;

  public Tokens(LocalKeys keys, String issuer, String audience) {
    this.keys = keys;
    this.issuer = issuer;
    this.audience = audience;
  }

  /** Tokens signed like the gateway's own, with the local key it keeps in {@code dataDir}. */
  public static Tokens local(java.nio.file.Path dataDir) {
    return new Tokens(LocalKeys.loadOrCreate(dataDir), "greenpledge-local", "greenpledge-gateway");
  }

  /** Claims of a valid token for one hour. */
  public JsonObject claims(String subject, String bank, String... roles) {
    long now = Instant.now().getEpochSecond();
    JsonObject claims =
        new JsonObject()
            .put("sub", subject)
            .put("iss", issuer)
            .put("aud", audience)
            .put("iat", now)
            .put("exp", now + 3600)
            .put("roles", new JsonArray(java.util.List.of(roles)));
    if (bank != null) {
      claims.put("bank", bank);
    }
    return claims;
  }

  public String token(String subject, String bank, String... roles) {
    return sign(claims(subject, bank, roles));
  }

  public String sign(JsonObject claims) {
    return sign(new JsonObject().put("alg", "RS256").put("typ", "JWT"), claims);
  }

  /** Signed with the local key under any header, e.g. one that marks an extension critical. */
  public String sign(JsonObject headerJson, JsonObject claims) {
    String header = encode(headerJson.encode());
    String payload = encode(claims.encode());
    String signingInput = header + "." + payload;
    return signingInput
        + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256(signingInput));
  }

  public static String unsigned(JsonObject claims) {
    return encode(new JsonObject().put("alg", "none").put("typ", "JWT").encode())
        + "."
        + encode(claims.encode())
        + ".";
  }

  private byte[] rs256(String input) {
    try {
      String base64 = keys.privatePem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      PrivateKey key =
          KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return signature.sign();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
