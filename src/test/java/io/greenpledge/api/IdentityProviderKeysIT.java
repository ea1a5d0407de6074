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
    try (Gateway gateway =
        Gateway.start(
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
                "greenpledge"))) {
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
}
