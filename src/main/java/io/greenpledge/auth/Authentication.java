package io.greenpledge.auth;

import io.greenpledge.config.Settings;
import io.greenpledge.config.SettingsException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Verifies bearer tokens (RS256/ES256) against the bank IdP's public keys or JWKS, or, on a local
 * run, the gateway's own key, which it can also sign with ({@link #mint}). Issuer and audience are
 * always checked.
 */
public final class Authentication {

  /** Verified tokens, so a desk's every request does not pay for an RSA signature check. */
  private static final int CACHE_LIMIT = 10_000;

  private final java.util.Map<CachedToken, Caller> verified =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A verified token as the cache's key, hashed on its last characters. {@code String.hashCode}
   * walks the whole text, a few hundred characters for a JWT, one at a time on Java 17: 2.7 % of
   * the gateway's CPU answering the latest valuation (profile of 2026-11-29). The tail is the
   * signature, which differs between any two tokens the cache holds (only verified ones are put);
   * equality is still the whole text.
   */
  private record CachedToken(String text) {
    private static final int HASHED = 24;

    @Override
    public int hashCode() {
      int hash = text.length();
      for (int i = Math.max(0, text.length() - HASHED); i < text.length(); i++) {
        hash = 31 * hash + text.charAt(i);
      }
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof CachedToken token && token.text.equals(text);
    }
  }

  /** Replaced when the identity provider's JWKS is read again. */
  private volatile JWTAuth provider;

  private final Optional<JWTAuth> signer;
  private final Settings.Jwt settings;

  /** With a JWKS URL: reads it again, as a new provider and the key ids it holds. */
  private Optional<java.util.function.Supplier<Future<Jwks>>> jwksReader = Optional.empty();

  private volatile java.util.Set<String> knownKids = java.util.Set.of();
  private volatile long lastJwksRead;

  /** On a token of an unknown key id the JWKS is read again at most this often. */
  static final long JWKS_UNKNOWN_KID_MILLIS = 30_000;

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(Authentication.class);

  /** A JWKS as read: the provider that verifies with its keys, and their ids. */
  private record Jwks(JWTAuth provider, java.util.Set<String> kids) {}

  private Authentication(JWTAuth provider, Optional<JWTAuth> signer, Settings.Jwt settings) {
    this.provider = provider;
    this.signer = signer;
    this.settings = settings;
  }

  /** The local key variant; {@code keys} come from {@link LocalKeys#loadOrCreate}. */
  public static Authentication local(Vertx vertx, Settings.Jwt settings, LocalKeys keys) {
    JWTAuthOptions options =
        baseOptions(settings)
            .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(keys.privatePem()))
            .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(keys.publicPem()));
    JWTAuth auth = JWTAuth.create(vertx, options);
    return new Authentication(auth, Optional.of(auth), settings);
  }

  /**
   * The identity-provider variant: PEM public key files (read here, before Vert.x work starts) or a
   * JWKS URL.
   */
  public static Future<Authentication> external(Vertx vertx, Settings.Jwt settings) {
    List<PubSecKeyOptions> keys = new ArrayList<>();
    for (Path file : settings.publicKeys()) {
      keys.add(new PubSecKeyOptions().setAlgorithm(algorithmOf(file)).setBuffer(read(file)));
    }
    java.util.function.Supplier<Future<Jwks>> read =
        () ->
            settings
                .jwksUrl()
                .map(url -> fetchJwks(vertx, url))
                .orElse(Future.succeededFuture(List.of()))
                .map(
                    found -> {
                      JWTAuthOptions options =
                          baseOptions(settings).setPubSecKeys(keys).setJwks(found);
                      java.util.Set<String> kids = new java.util.HashSet<>();
                      found.forEach(k -> kids.add(k.getString("kid", "")));
                      return new Jwks(JWTAuth.create(vertx, options), kids);
                    });
    return read.get()
        .map(
            first -> {
              Authentication auth =
                  new Authentication(first.provider(), Optional.empty(), settings);
              auth.knownKids = first.kids();
              auth.lastJwksRead = System.currentTimeMillis();
              if (settings.jwksUrl().isPresent()) {
                // A key rotation at the identity provider: read again periodically, and on a
                // token whose key id is not among those read (bounded, see verify).
                auth.jwksReader = Optional.of(read);
                vertx.setPeriodic(settings.jwksRefresh().toMillis(), id -> auth.readJwks());
              }
              return auth;
            });
  }

  /** Reads the JWKS again; on failure the keys read before stay in force (one log line). */
  private Future<Void> readJwks() {
    lastJwksRead = System.currentTimeMillis();
    return jwksReader
        .orElseThrow()
        .get()
        .onSuccess(
            jwks -> {
              provider = jwks.provider();
              if (!jwks.kids().equals(knownKids)) {
                // a key dropped by the IdP must not keep answering from the cache
                verified.clear();
              }
              knownKids = jwks.kids();
            })
        .onFailure(
            e ->
                LOG.warn(
                    "the JWKS could not be read again; keeping its last keys: {}", e.toString()))
        .mapEmpty();
  }

  /** The {@code kid} of a token's header, or "" without one. */
  private static String kidOf(String token) {
    try {
      String header = token.substring(0, token.indexOf('.'));
      return new JsonObject(
              new String(
                  java.util.Base64.getUrlDecoder().decode(header),
                  java.nio.charset.StandardCharsets.UTF_8))
          .getString("kid", "");
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static JWTAuthOptions baseOptions(Settings.Jwt settings) {
    return new JWTAuthOptions()
        .setJWTOptions(
            new JWTOptions()
                .setIssuer(settings.issuer())
                .setAudience(List.of(settings.audience()))
                .setLeeway(5));
  }

  private static Future<List<JsonObject>> fetchJwks(Vertx vertx, String url) {
    WebClient client = WebClient.create(vertx);
    return client
        .getAbs(url)
        .send()
        .map(
            response -> {
              if (response.statusCode() != 200) {
                throw new SettingsException(
                    "GP_JWT_JWKS_URL", "answered HTTP " + response.statusCode());
              }
              JsonArray keys = response.bodyAsJsonObject().getJsonArray("keys", new JsonArray());
              List<JsonObject> list = new ArrayList<>();
              keys.forEach(k -> list.add((JsonObject) k));
              return list;
            })
        .eventually(
            () -> {
              client.close();
              return Future.succeededFuture();
            });
  }

  /**
   * ES256 or RS256, from the key itself (an X.509 SubjectPublicKeyInfo PEM): its algorithm, never
   * its file name. A file that holds neither an RSA nor an EC public key stops the start, named.
   */
  static String algorithmOf(Path file) {
    String text = read(file);
    String body = text.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der;
    try {
      der = java.util.Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new SettingsException("GP_JWT_PUBLIC_KEYS", file + " is not a PEM public key");
    }
    java.security.spec.X509EncodedKeySpec spec = new java.security.spec.X509EncodedKeySpec(der);
    for (String[] kind : new String[][] {{"EC", "ES256"}, {"RSA", "RS256"}}) {
      try {
        java.security.KeyFactory.getInstance(kind[0]).generatePublic(spec);
        return kind[1];
      } catch (java.security.GeneralSecurityException notThisKind) {
        // the other kind, or neither
      }
    }
    throw new SettingsException(
        "GP_JWT_PUBLIC_KEYS", file + " holds neither an RSA nor an EC (P-256) public key");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new SettingsException(
          "GP_JWT_PUBLIC_KEYS", "cannot read " + file + " (" + e.getMessage() + ")");
    }
  }

  /**
   * Like {@link #verify}, but a token already verified is answered from memory until it expires
   * (signature, issuer, audience and not-before cannot change for the same token text).
   */
  public Future<Caller> verifyCached(String token) {
    CachedToken key = new CachedToken(token);
    Caller known = verified.get(key);
    if (known != null) {
      if (revoked(known)) {
        verified.remove(key);
        return Future.failedFuture(new IllegalArgumentException("the display was revoked"));
      }
      if (known.expiresAt().isAfter(java.time.Instant.now())) {
        return Future.succeededFuture(known);
      }
      verified.remove(key);
    }
    return verify(token)
        .onSuccess(
            caller -> {
              if (verified.size() >= CACHE_LIMIT) {
                verified.clear();
              }
              verified.put(key, caller);
            });
  }

  /**
   * Verifies a raw token; fails when it is malformed, badly signed, expired, for another audience,
   * has no {@code exp}, lives longer than {@code GP_JWT_MAX_TTL}, or marks a header critical
   * ({@code crit}: RFC 7515 says a verifier must refuse extensions it does not understand, and this
   * one understands none). Every failure is a failed future (a 401), never an exception.
   */
  public Future<Caller> verify(String token) {
    try {
      Optional<String> problem =
          TokenShape.problem(token, settings.maxTtl(), java.time.Instant.now());
      if (problem.isPresent()) {
        return Future.failedFuture(new IllegalArgumentException(problem.get()));
      }
      String kid = jwksReader.isPresent() ? kidOf(token) : "";
      boolean unknownKey =
          !kid.isEmpty()
              && !knownKids.contains(kid)
              && System.currentTimeMillis() - lastJwksRead
                  >= Math.min(JWKS_UNKNOWN_KID_MILLIS, settings.jwksRefresh().toMillis());
      Future<Void> keys =
          unknownKey ? readJwks().recover(e -> Future.succeededFuture()) : Future.succeededFuture();
      return keys.compose(read -> provider.authenticate(new TokenCredentials(token)))
          .map(Authentication::callerOf)
          .compose(
              caller ->
                  revoked(caller)
                      ? Future.failedFuture(new IllegalArgumentException("the display was revoked"))
                      : Future.succeededFuture(caller));
    } catch (RuntimeException e) {
      return Future.failedFuture(new IllegalArgumentException("token is malformed"));
    }
  }

  /**
   * Vert.x keeps the registered claims (exp, iat…) in the user's attributes, the rest in its
   * principal.
   */
  public static Caller callerOf(io.vertx.ext.auth.User user) {
    JsonObject claims = user.principal().copy();
    JsonObject attributes = user.attributes();
    JsonObject accessToken = attributes.getJsonObject("accessToken");
    if (accessToken != null) {
      accessToken.forEach(e -> claims.getMap().putIfAbsent(e.getKey(), e.getValue()));
    }
    if (!claims.containsKey("exp") && attributes.getValue("exp") != null) {
      claims.put("exp", attributes.getValue("exp"));
    }
    return Caller.fromClaims(claims);
  }

  /** Token subjects of wall screens: {@code display:<id>}. */
  public static final String DISPLAY = "display:";

  /** Revoked displays, refreshed from the database by the gateway (and at once on this node). */
  private volatile java.util.Set<String> revokedDisplays = java.util.Set.of();

  public void revokedDisplays(java.util.Set<String> ids) {
    revokedDisplays = java.util.Set.copyOf(ids);
  }

  /** Adds one at once (the node that revoked it does not wait for the next refresh). */
  public synchronized void revokeDisplay(String id) {
    java.util.Set<String> more = new java.util.HashSet<>(revokedDisplays);
    more.add(id);
    revokedDisplays = java.util.Set.copyOf(more);
  }

  private boolean revoked(Caller caller) {
    return caller.subject().startsWith(DISPLAY)
        && revokedDisplays.contains(caller.subject().substring(DISPLAY.length()));
  }

  /** The longest lifetime a token may have (GP_JWT_MAX_TTL). */
  public Duration maxTtl() {
    return settings.maxTtl();
  }

  public boolean canMint() {
    return signer.isPresent();
  }

  /** Signs a token with the local key. */
  public String mint(String subject, Optional<String> bank, List<String> roles, Duration ttl) {
    if (ttl.compareTo(settings.maxTtl()) > 0) {
      throw new IllegalArgumentException(
          "a token may live at most " + settings.maxTtl() + " (GP_JWT_MAX_TTL)");
    }
    JWTAuth jwt =
        signer.orElseThrow(
            () ->
                new IllegalStateException(
                    "tokens come from the identity provider when GP_JWT_PUBLIC_KEYS or GP_JWT_JWKS_URL is set"));
    JsonObject claims = new JsonObject().put("roles", new JsonArray(roles));
    bank.ifPresent(b -> claims.put("bank", b));
    JWTOptions options =
        new JWTOptions()
            .setAlgorithm("RS256")
            .setIssuer(settings.issuer())
            .setAudience(List.of(settings.audience()))
            .setSubject(subject)
            .setExpiresInSeconds((int) Math.min(Integer.MAX_VALUE, ttl.toSeconds()));
    return jwt.generateToken(claims, options);
  }
}
