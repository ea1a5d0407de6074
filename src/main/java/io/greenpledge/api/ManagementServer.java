package io.greenpledge.api;

import io.greenpledge.config.Settings;
import io.greenpledge.ops.Metrics;
import io.greenpledge.ops.Readiness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The management port: {@code /metrics} (Prometheus; per-bank risk figures, so never on the public
 * port) and {@code /health/live}, {@code /health/ready}. On loopback by default; in Kubernetes on
 * the pod's IP, reached by the monitoring namespace only (NetworkPolicy). With {@code
 * GP_MANAGEMENT_TOKEN} set, {@code /metrics} asks for it as a bearer token.
 */
public final class ManagementServer {

  private ManagementServer() {}

  public static Future<HttpServer> start(
      Vertx vertx,
      Settings.Http settings,
      Metrics metrics,
      Readiness readiness,
      Readiness liveness) {
    Router router = Router.router(vertx);
    router.get("/health/live").handler(ctx -> health(ctx, liveness));
    router.get("/health/ready").handler(ctx -> health(ctx, readiness));
    router
        .get("/metrics")
        .handler(ctx -> bearer(ctx, settings))
        .handler(PrometheusScrapingHandler.create(metrics.registry()));
    router
        .route()
        .last()
        .handler(ctx -> Problems.notFound(ctx, "no resource at " + ctx.request().path()));
    return vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(settings.managementPort(), settings.managementHost());
  }

  private static void bearer(RoutingContext ctx, Settings.Http settings) {
    if (settings.managementToken().isEmpty()) {
      ctx.next();
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    String expected = "Bearer " + settings.managementToken().get();
    // compared in constant time: the token guards every bank's figures
    if (header != null
        && MessageDigest.isEqual(
            header.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
      ctx.next();
    } else {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      Problems.unauthenticated(ctx);
    }
  }

  private static void health(RoutingContext ctx, Readiness checks) {
    checks
        .check()
        .onSuccess(
            report ->
                ctx.response()
                    .setStatusCode(report.up() ? 200 : 503)
                    .putHeader("Content-Type", "application/json")
                    .end(io.greenpledge.wire.Wire.health(report.up(), report.checks()).encode()));
  }
}
