package io.greenpledge.api;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Errors as RFC 9457 problem documents: a stable {@code type} URI and a human {@code detail}. */
public final class Problems {

  public static final String CONTENT_TYPE = "application/problem+json";
  private static final String TYPE_BASE = "https://greenpledge.io/problems/";
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  public static void send(
      RoutingContext ctx, int status, String slug, String title, String detail) {
    send(ctx.request(), status, slug, title, detail);
  }

  /**
   * Also before routing, where there is no context yet (a request target the router cannot decode).
   */
  public static void send(
      io.vertx.core.http.HttpServerRequest request,
      int status,
      String slug,
      String title,
      String detail) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.headWritten()) {
      return;
    }
    JsonObject problem =
        io.greenpledge.wire.Wire.problem(TYPE_BASE + slug, title, status, detail, request.path());
    if (status == 401) {
      response.putHeader("WWW-Authenticate", "Bearer realm=\"greenpledge\"");
    }
    response.setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE).end(problem.encode());
  }

  /** 429 with Retry-After, for a caller over its rate limit. */
  public static void tooManyRequests(RoutingContext ctx, long retryAfterSeconds, String what) {
    ctx.response().putHeader("Retry-After", String.valueOf(retryAfterSeconds));
    send(
        ctx,
        429,
        "rate-limited",
        "Too many requests",
        what + " over this token's limit; retry in " + retryAfterSeconds + " s");
  }

  public static void unauthenticated(RoutingContext ctx) {
    send(
        ctx,
        401,
        "unauthenticated",
        "Authentication required",
        "a valid bearer token (Authorization: Bearer …) is required");
  }

  public static void badRequest(RoutingContext ctx, String detail) {
    send(ctx, 400, "validation", "Request is not valid", detail);
  }

  public static void notFound(RoutingContext ctx, String detail) {
    send(ctx, 404, "not-found", "Not found", detail);
  }

  public static void forbidden(RoutingContext ctx, String detail) {
    send(ctx, 403, "forbidden", "Not allowed", detail);
  }

  private static final io.greenpledge.ops.LogLimiter UNAVAILABLE_LOG =
      new io.greenpledge.ops.LogLimiter(java.time.Duration.ofMinutes(1));

  /**
   * A dependency that did not answer, as opposed to a bug: the pool could not connect or timed out,
   * the connection was lost, PostgreSQL is shutting down or out of resources (SQLSTATE 08, 53,
   * 57P), or the risk engine did not reply on the event bus.
   */
  static boolean unavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.ConnectException
          || t instanceof java.util.concurrent.TimeoutException
          || t instanceof io.vertx.sqlclient.ClosedConnectionException
          || t instanceof io.vertx.core.eventbus.ReplyException
          || (t instanceof io.vertx.pgclient.PgException pg
              && pg.getSqlState() != null
              && (pg.getSqlState().startsWith("08")
                  || pg.getSqlState().startsWith("53")
                  || pg.getSqlState().startsWith("57P")))
          || (t.getMessage() != null
              && (t.getMessage().contains("Connection refused")
                  || t.getMessage().contains("Timeout")))) {
        return true;
      }
    }
    return false;
  }

  /** The router's failure handler: maps whatever failed to a problem, never leaking internals. */
  public static void handleFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = ctx.statusCode();
    if (failure instanceof HttpException http && http.getCause() instanceof ValidatorException) {
      failure = http.getCause();
    }
    if (failure instanceof ValidatorException invalid) {
      badRequest(ctx, invalid.getMessage());
      return;
    }
    if (failure instanceof HttpException http) {
      status = http.getStatusCode();
    }
    switch (status) {
      case 400 -> badRequest(ctx, failure == null ? "malformed request" : failure.getMessage());
      case 401 -> unauthenticated(ctx);
      case 403 -> forbidden(ctx, "the token's roles do not allow this operation");
      case 404 -> notFound(ctx, "no resource at " + ctx.request().path());
      case 405 ->
          send(
              ctx,
              405,
              "method-not-allowed",
              "Method not allowed",
              ctx.request().method() + " is not supported on " + ctx.request().path());
      case 413 ->
          send(ctx, 413, "too-large", "Request too large", "the request body exceeds the limit");
      case 415 ->
          send(
              ctx,
              415,
              "unsupported-media-type",
              "Unsupported media type",
              "send application/json");
      default -> {
        if (unavailable(failure)) {
          UNAVAILABLE_LOG.warn(
              LOG,
              "request {} {} answered 503: {}",
              ctx.request().method(),
              ctx.request().path(),
              String.valueOf(failure));
          ctx.response().putHeader("Retry-After", "1");
          send(
              ctx,
              503,
              "unavailable",
              "Temporarily unavailable",
              "the database or the risk engine did not answer; nothing was changed, retry the request");
          return;
        }
        LOG.error("request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
        send(ctx, 500, "internal", "Internal error", "the gateway could not complete the request");
      }
    }
  }
}
