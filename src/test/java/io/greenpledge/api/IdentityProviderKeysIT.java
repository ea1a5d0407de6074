package io.greenpledge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.greenpledge.Gateway;
import io.greenpledge.auth.LocalKeys;
import io.greenpledge.support.Http;
import io.greenpledge.support.TestSettings;
import io.greenpledge.support.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In production tokens come from the bank's identity provider: its public key verifies, nothing
 * else does.
 */
class IdentityProviderKeysIT {

  @TempDir Path dataDir;

  @Test
  void tokensOfTheConfiguredIdentityProviderAreTheOnlyOnesAccepted() throws Exception {
    LocalKeys idp = LocalKeys.generate();
    Path publicKey = dataDir.resolve("idp-public.pem");
    Files.writeString(publicKey, idp.publicPem());
    try (Gateway gateway = withIdentityProviderKey(publicKey)) {
      Http http = new Http(gateway.httpPort());
      Tokens bankIdp = new Tokens(idp, "https://idp.bank.example/", "greenpledge");
      assertEquals(
          200, http.get("/api/v1/prices", bankIdp.token("analyst", "BANK-I", "viewer")).status());
      // The gateway no longer signs anything itself, and a token of another key is refused.
      assertEquals(false, gateway.authentication().canMint());
      Tokens other = new Tokens(LocalKeys.generate(), "https://idp.bank.example/", "greenpledge");
      assertEquals(
          401, http.get("/api/v1/prices", other.token("analyst", "BANK-I", "viewer")).status());
      assertEquals(
          401,
          http.get(
                  "/api/v1/prices",
                  bankIdp.sign(
                      bankIdp.claims("a", "BANK-I", "viewer").put("iss", "greenpledge-local")))
              .status());
    }
  }

  /**
   * An EC P-256 key in a file whose name says nothing of its kind: recognised from the key itself,
   * and ES256 tokens signed with it are accepted.
   */
  @Test
  void anEcKeyIsRecognisedFromTheKeyNotTheFileName() throws Exception {
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    java.security.KeyPair pair = generator.generateKeyPair();
    Path publicKey = dataDir.resolve("idp-public.pem");
    Files.writeString(
        publicKey,
        "-----BEGIN PUBLIC KEY-----\n"
            + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(pair.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
    try (Gateway gateway = withIdentityProviderKey(publicKey)) {
      Http http = new Http(gateway.httpPort());
      assertEquals(200, http.get("/api/v1/prices", es256(pair.getPrivate())).status());
    }
  }

  /** A viewer token signed ES256 (JWS: the signature as R and S, 32 bytes each). */
  private static String es256(java.security.PrivateKey key) throws Exception {
    java.util.Base64.Encoder url = java.util.Base64.getUrlEncoder().withoutPadding();
    long now = System.currentTimeMillis() / 1000;
    String header = url.encodeToString("{\"alg\":\"ES256\",\"typ\":\"JWT\"}".getBytes());
    String claims =
        url.encodeToString(
            new io.vertx.core.json.JsonObject()
                .put("sub", "analyst")
                .put("bank", "BANK-E")
                .put("roles", new io.vertx.core.json.JsonArray().add("viewer"))
                .put("iss", "https://idp.bank.example/")
                .put("aud", "greenpledge")
                .put("iat", now)
                .put("exp", now + 600)
                .encode()
                .getBytes());
    java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
    signer.initSign(key);
    signer.update((header + "." + claims).getBytes());
    byte[] der = signer.sign();
    // DER SEQUENCE { INTEGER r, INTEGER s } to r || s, each left-padded to 32 bytes
    int offset = der[1] < 0 ? 3 : 2;
    int rLength = der[offset + 1];
    byte[] r = java.util.Arrays.copyOfRange(der, offset + 2, offset + 2 + rLength);
    int sAt = offset + 2 + rLength;
    byte[] sBytes = java.util.Arrays.copyOfRange(der, sAt + 2, sAt + 2 + der[sAt + 1]);
    byte[] raw = new byte[64];
    System.arraycopy(
        r, Math.max(0, r.length - 32), raw, Math.max(0, 32 - r.length), Math.min(32, r.length));
    System.arraycopy(
        sBytes,
        Math.max(0, sBytes.length - 32),
        raw,
        32 + Math.max(0, 32 - sBytes.length),
        Math.min(32, sBytes.length));
    return header + "." + claims + "." + url.encodeToString(raw);
  }

  /** A gateway that trusts only the identity provider's public key in {@code publicKey}. */
  private Gateway withIdentityProviderKey(Path publicKey) throws Exception {
    return Gateway.start(
        TestSettings.with(
            dataDir,
            "GP_FEEDS",
            "ingest",
            "GP_DEMO",
            "false",
            "GP_JWT_PUBLIC_KEYS",
            publicKey.toString(),
            "GP_JWT_ISSUER",
            "https://idp.bank.example/",
            "GP_JWT_AUDIENCE",
            "greenpledge"));
  }
}
