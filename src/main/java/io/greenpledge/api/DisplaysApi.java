package io.greenpledge.api;

import io.greenpledge.auth.Authentication;
import io.greenpledge.auth.Caller;
import io.greenpledge.auth.Role;
import io.greenpledge.book.DisplayRepository;
import io.greenpledge.push.DeskRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Wall screens: {@code /api/v1/displays}. A bank's risk-admin (or the regulator, for its own wall)
 * names a display and gets its token: read-only (viewer of the bank, or regulator), living at most
 * a week ({@code GP_JWT_MAX_TTL}), which the wall renews by itself ({@code POST /displays/renew}
 * with that token: no keyboard) for as long as the display is not revoked. Revoking it refuses its
 * tokens at once on the node that revokes (within 10 s on the others) and closes its sockets.
 * Created, revoked: audited. Only with the gateway's own signing key; with an identity provider the
 * wall's token comes from there.
 */
final class DisplaysApi {

  static final Duration LIFE = Duration.ofDays(7);

  private final DisplayRepository displays;
  private final Authentication authentication;
  private final DeskRegistry desks;

  DisplaysApi(DisplayRepository displays, Authentication authentication, DeskRegistry desks) {
    this.displays = displays;
    this.authentication = authentication;
    this.desks = desks;
  }

  void create(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    if (isDisplay(caller)) {
      Problems.forbidden(ctx, "a display cannot create displays");
      return;
    }
    if (!authentication.canMint()) {
      Problems.send(
          ctx,
          409,
          "no-signing-key",
          "No signing key",
          "display tokens are signed with the gateway's own key; with an identity provider"
              + " (GP_JWT_PUBLIC_KEYS, GP_JWT_JWKS_URL) issue the wall's read-only token there");
      return;
    }
    Scope scope = Scope.of(caller);
    String name = ctx.body().asJsonObject().getString("name").strip();
    String id = "DSP-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    displays
        .create(Requests.actor(ctx), id, scope.bank().orElse(null), name)
        .onSuccess(
            display -> {
              JsonObject body = display.json().mergeIn(token(display));
              ctx.response().setStatusCode(201);
              Requests.sendJson(ctx, body);
            })
        .onFailure(ctx::fail);
  }

  void list(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    displays
        .of(Scope.of(caller).bank())
        .onSuccess(
            found -> {
              JsonArray items = new JsonArray();
              found.forEach(d -> items.add(d.json()));
              Requests.sendJson(ctx, new JsonObject().put("items", items));
            })
        .onFailure(ctx::fail);
  }

  void revoke(RoutingContext ctx) {
    Scope scope = Scope.of(Requests.caller(ctx));
    String id = ctx.pathParam("id");
    displays
        .find(id)
        .compose(
            found -> {
              // another bank's display (or the regulator's,
              // for a bank) does not exist for the caller
              if (found.isEmpty() || !sameOwner(found.get(), scope)) {
                return io.vertx.core.Future.succeededFuture(
                    Optional.<DisplayRepository.Display>empty());
              }
              return displays.revoke(Requests.actor(ctx), id);
            })
        .onSuccess(
            revoked -> {
              if (revoked.isEmpty()) {
                Problems.notFound(ctx, "no live display " + id);
                return;
              }
              authentication.revokeDisplay(id);
              desks.close(Authentication.DISPLAY + id, "the display was revoked");
              Requests.sendJson(ctx, revoked.get().json());
            })
        .onFailure(ctx::fail);
  }

  /** The display's own token, a week later: how a wall keeps running without a keyboard. */
  void renew(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    if (!isDisplay(caller) || !authentication.canMint()) {
      Problems.forbidden(ctx, "only a display renews its own token");
      return;
    }
    String id = caller.subject().substring(Authentication.DISPLAY.length());
    displays
        .renewed(id)
        .compose(
            ok ->
                ok
                    ? displays.find(id)
                    : io.vertx.core.Future.succeededFuture(
                        Optional.<DisplayRepository.Display>empty()))
        .onSuccess(
            display -> {
              if (display.isEmpty()) {
                Problems.forbidden(ctx, "the display was revoked");
                return;
              }
              Requests.sendJson(ctx, token(display.get()));
            })
        .onFailure(ctx::fail);
  }

  private JsonObject token(DisplayRepository.Display display) {
    Duration life = LIFE.compareTo(authentication.maxTtl()) > 0 ? authentication.maxTtl() : LIFE;
    List<String> roles =
        display.bank() == null ? List.of(Role.REGULATOR.claim()) : List.of(Role.VIEWER.claim());
    String token =
        authentication.mint(
            Authentication.DISPLAY + display.id(),
            Optional.ofNullable(display.bank()),
            roles,
            life);
    return new JsonObject()
        .put("token", token)
        .put("expiresAt", Instant.now().plus(life).toString())
        .put("link", "/#token=" + token);
  }

  private static boolean isDisplay(Caller caller) {
    return caller.subject().startsWith(Authentication.DISPLAY);
  }

  private static boolean sameOwner(DisplayRepository.Display display, Scope scope) {
    return java.util.Objects.equals(display.bank(), scope.bank().orElse(null));
  }
}
