package io.greenpledge.api;

import io.greenpledge.auth.Caller;
import io.greenpledge.ops.OneAtATime;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/** Small helpers every handler uses. */
final class Requests {

  private static final String CALLER = "gp.caller";
  private static final String REQUEST_ID = "gp.request-id";
  private static final java.util.regex.Pattern SANE_ID =
      java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private Requests() {}

  static void sendJson(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
  }

  /**
   * Answers with the JSON {@code work} makes, run while the caller holds {@code runs}' permit; 429
   * when a run of theirs is still in flight ({@code what}: the runs, for the problem's detail).
   */
  static void sendOneAtATime(
      RoutingContext ctx, OneAtATime runs, String what, Supplier<Future<JsonObject>> work) {
    runs.start(caller(ctx).limitKey(), work)
        .ifPresentOrElse(
            answer -> answer.onSuccess(json -> sendJson(ctx, json)).onFailure(ctx::fail),
            () -> Problems.tooManyRequests(ctx, 1, what + " at once (one per caller)"));
  }

  /** A body already encoded as JSON. */
  static void sendJson(RoutingContext ctx, io.vertx.core.buffer.Buffer body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body);
  }

  /** A query parameter the contract has already checked to be an integer in range. */
  static int intParam(RoutingContext ctx, String name, int fallback) {
    String value = ctx.request().getParam(name);
    return value == null ? fallback : Integer.parseInt(value);
  }

  /**
   * Gives the request its id: the client's {@code X-Request-Id} when it is a sane token (so a bank
   * can follow its own ids through the audit), else a new UUID; echoed on the response.
   */
  static void assignRequestId(RoutingContext ctx) {
    String given = ctx.request().getHeader("X-Request-Id");
    String id = given != null && SANE_ID.matcher(given).matches() ? given : newId();
    ctx.put(REQUEST_ID, id);
    ctx.response().putHeader("X-Request-Id", id);
    ctx.next();
  }

  /**
   * A random id from the event loop's own generator: on every request, so not SecureRandom (which
   * {@code UUID.randomUUID} shares across threads); an id traces, it guards nothing.
   */
  private static String newId() {
    java.util.concurrent.ThreadLocalRandom random =
        java.util.concurrent.ThreadLocalRandom.current();
    return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
  }

  static String requestId(RoutingContext ctx) {
    String id = ctx.get(REQUEST_ID);
    return id == null ? "-" : id;
  }

  /** Who is writing, for the audit trail: the token's subject, this request, the client address. */
  static io.greenpledge.store.AuditLog.Actor actor(RoutingContext ctx) {
    io.vertx.core.net.SocketAddress remote = ctx.request().remoteAddress();
    return new io.greenpledge.store.AuditLog.Actor(
        caller(ctx).subject(), requestId(ctx), remote == null ? "-" : remote.hostAddress());
  }

  static void setCaller(RoutingContext ctx, Caller caller) {
    ctx.put(CALLER, caller);
  }

  /** The verified caller; the role check stored it before any operation handler runs. */
  static Caller caller(RoutingContext ctx) {
    return ctx.get(CALLER);
  }

  /** True when every {@code %} of a request target is followed by two hex digits. */
  static boolean wellEscaped(String uri) {
    for (int i = uri.indexOf('%'); i >= 0; i = uri.indexOf('%', i + 1)) {
      if (i + 2 >= uri.length()
          || Character.digit(uri.charAt(i + 1), 16) < 0
          || Character.digit(uri.charAt(i + 2), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The entity a numeric path parameter names, if the caller's bank may see it; otherwise a 404
   * (the same for "no such" and "another bank's": nothing is learnt) is sent and it is empty.
   */
  static <T> io.vertx.core.Future<java.util.Optional<T>> visible(
      RoutingContext ctx,
      String param,
      String what,
      java.util.function.LongFunction<io.vertx.core.Future<java.util.Optional<T>>> find,
      java.util.function.Function<T, String> bankOf) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam(param));
    } catch (NumberFormatException e) {
      Problems.notFound(ctx, "no " + what + " " + ctx.pathParam(param));
      return io.vertx.core.Future.succeededFuture(java.util.Optional.empty());
    }
    Scope scope = Scope.of(caller(ctx));
    return find.apply(id)
        .map(
            found -> {
              java.util.Optional<T> seen = found.filter(t -> scope.sees(bankOf.apply(t)));
              if (seen.isEmpty()) {
                Problems.notFound(ctx, "no " + what + " " + id + " in your book");
              }
              return seen;
            });
  }

  /**
   * Whose figures a read is about: a bank's user, its own bank (another named in {@code ?bank=} is
   * a 404: nothing is learnt); the regulator, the bank it names (400 without one). Empty, with the
   * answer sent, when the read cannot go on.
   */
  static java.util.Optional<String> bankInView(RoutingContext ctx, String what) {
    Scope scope = Scope.of(caller(ctx));
    String asked = ctx.request().getParam("bank");
    if (asked != null && !scope.sees(asked)) {
      Problems.notFound(ctx, "no " + what + " of " + asked + " for your bank");
      return java.util.Optional.empty();
    }
    java.util.Optional<String> bank =
        scope.bank().isPresent() ? scope.bank() : java.util.Optional.ofNullable(asked);
    if (bank.isEmpty()) {
      Problems.badRequest(ctx, "the regulator names the bank: ?bank=");
    }
    return bank;
  }
}
