package io.greenpledge;

import io.greenpledge.store.AuditLog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A token the gateway signed with its local key, as the audit trail records it: who it is for,
 * which bank and roles, until when, and a fingerprint (SHA-256 of the token) to recognise it by;
 * never the token itself.
 */
final class MintedToken {

  private MintedToken() {}

  static AuditLog.Draft draft(
      String token, String subject, Optional<String> bank, List<String> roles, Instant expiresAt) {
    return new AuditLog.Draft(
        bank.orElse(null),
        "token.minted",
        "token",
        subject,
        null,
        new JsonObject()
            .put("subject", subject)
            .put("bank", bank.orElse(null))
            .put("roles", new JsonArray(roles))
            .put("expiresAt", expiresAt.toString())
            .put("sha256", fingerprint(token))
            .encode());
  }

  static String fingerprint(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
