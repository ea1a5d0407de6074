package io.greenpledge.auth;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * What a token must look like before its signature is worth checking: three base64url parts, a
 * header without {@code crit}, numeric {@code exp} (required), {@code nbf} and {@code iat}, and a
 * lifetime within the configured maximum. Cheap (no cryptography), and it turns claims of the wrong
 * type into a clear refusal instead of an exception deep inside the JWT library.
 */
final class TokenShape {

  private TokenShape() {}

  static Optional<String> problem(String token, Duration maxTtl, Instant now) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.of("token is not a JWS compact serialisation (three dot-separated parts)");
    }
    JsonObject header = json(parts[0]);
    JsonObject claims = json(parts[1]);
    if (header == null || claims == null) {
      return Optional.of("token header or claims are not base64url-encoded JSON objects");
    }
    if (header.containsKey("crit")) {
      return Optional.of("token marks header parameters critical (crit); none are supported");
    }
    for (String time : new String[] {"exp", "nbf", "iat"}) {
      if (claims.containsKey(time) && !(claims.getValue(time) instanceof Number)) {
        return Optional.of("claim " + time + " must be a number of seconds");
      }
    }
    if (!(claims.getValue("exp") instanceof Number exp)) {
      return Optional.of("token has no exp claim; tokens must expire");
    }
    Instant expiresAt =
        Instant.ofEpochSecond(Math.min(exp.longValue(), Instant.MAX.getEpochSecond()));
    if (expiresAt.isAfter(now.plus(maxTtl).plusSeconds(60))) {
      return Optional.of(
          "token lives longer than the allowed " + maxTtl.toHours() + " h (GP_JWT_MAX_TTL)");
    }
    return Optional.empty();
  }

  private static JsonObject json(String part) {
    try {
      return new JsonObject(
          new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      return null;
    }
  }
}
