package io.greenpledge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection Vert.x accepted before its server's metrics existed has no socket metric; its
 * requests must pass through the HTTP metrics without a fault, and every other connection must be
 * measured as before.
 */
class GuardedMetricsFactoryTest {

  private static final SocketAddress PEER = ObservedHttp.PEER;

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final VertxMetrics metrics =
      new GuardedMetricsFactory(registry)
          .metrics(
              new VertxOptions()
                  .setMetricsOptions(
                      new MicrometerMetricsOptions().setEnabled(true).addLabels(Label.HTTP_ROUTE)));

  @SuppressWarnings("unchecked")
  private final HttpServerMetrics<Object, Object, Object> server =
      (HttpServerMetrics<Object, Object, Object>)
          metrics.createHttpServerMetrics(
              new HttpServerOptions(), SocketAddress.inetSocketAddress(8080, "127.0.0.1"));

  @AfterEach
  void close() {
    server.close();
    metrics.close();
  }

  @Test
  void aConnectionWithoutASocketMetricIsNotMeasuredAndFaultsNothing() {
    Object request = server.requestBegin(null, REQUEST);
    assertNull(request);
    server.requestRouted(request, "/api/v1/portfolio");
    server.requestEnd(request, REQUEST, 0);
    server.responseBegin(request, RESPONSE);
    server.responseEnd(request, RESPONSE, 120);
    server.requestReset(request);
    assertNull(server.connected(null, request, null));
    server.disconnected(null);
    server.bytesRead(null, PEER, 100);
    server.bytesWritten(null, PEER, 100);
    server.exceptionOccurred(null, PEER, new java.io.IOException("reset"));
    server.disconnected(null, PEER);
    assertEquals(0, requests("/api/v1/portfolio"));
  }

  @Test
  void aConnectionWithItsSocketMetricIsMeasuredAsBefore() {
    Object socket = server.connected(PEER, "127.0.0.1");
    assertNotNull(socket);
    Object request = server.requestBegin(socket, REQUEST);
    server.requestRouted(request, "/api/v1/portfolio");
    server.requestEnd(request, REQUEST, 0);
    server.responseBegin(request, RESPONSE);
    server.responseEnd(request, RESPONSE, 120);
    server.disconnected(socket, PEER);
    assertEquals(1, requests("/api/v1/portfolio"));
  }

  /**
   * Two gateways in one JVM (a two-node test, a benchmark): each one's connections are in its own
   * registry. vertx-micrometer finds a backend by registry name in a static map, and the second
   * reported to the first's.
   */
  @Test
  void aSecondFactoryOpenAtTheSameTimeReportsToItsOwnRegistry() {
    PrometheusMeterRegistry second = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VertxMetrics secondMetrics =
        new GuardedMetricsFactory(second)
            .metrics(
                new VertxOptions()
                    .setMetricsOptions(
                        new MicrometerMetricsOptions()
                            .setEnabled(true)
                            .addLabels(Label.HTTP_ROUTE)));
    @SuppressWarnings("unchecked")
    HttpServerMetrics<Object, Object, Object> secondServer =
        (HttpServerMetrics<Object, Object, Object>)
            secondMetrics.createHttpServerMetrics(
                new HttpServerOptions(), SocketAddress.inetSocketAddress(8081, "127.0.0.1"));
    try {
      server.connected(PEER, "127.0.0.1");
      secondServer.connected(PEER, "127.0.0.1");
      secondServer.connected(PEER, "127.0.0.1");
      assertEquals(1.0, connections(registry));
      assertEquals(2.0, connections(second));
    } finally {
      secondServer.close();
      secondMetrics.close();
    }
  }

  private static double connections(PrometheusMeterRegistry registry) {
    return registry.find("vertx.http.server.active.connections").gauges().stream()
        .mapToDouble(io.micrometer.core.instrument.Gauge::value)
        .sum();
  }

  /**
   * The state the race leaves, reproduced: a real server whose socket metrics are never created,
   * with HTTP metrics that fault on a missing one as vertx-micrometer's do. The request is answered
   * (without the guard Netty's pipeline throws and the client waits for an answer that never
   * comes).
   */
  @Test
  void aRequestOnAConnectionWithoutASocketMetricIsAnswered() throws Exception {
    Strict strict = new Strict();
    VertxMetrics lost =
        new VertxMetrics() {
          @Override
          public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(
              HttpServerOptions options, SocketAddress localAddress) {
            return GuardedMetricsFactory.guard(
                strict,
                HttpRequestMeters.of(registry, new MicrometerMetricsOptions().setEnabled(true)));
          }
        };
    io.vertx.core.Vertx vertx =
        io.vertx.core.Vertx.builder()
            .with(
                new VertxOptions()
                    .setMetricsOptions(new io.vertx.core.metrics.MetricsOptions().setEnabled(true)))
            .withMetrics(options -> lost)
            .build();
    try {
      io.vertx.core.http.HttpServer server =
          vertx
              .createHttpServer()
              .requestHandler(request -> request.response().end("answered"))
              .listen(0, "127.0.0.1")
              .await(10, java.util.concurrent.TimeUnit.SECONDS);
      String body =
          vertx
              .createHttpClient()
              .request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
              .compose(request -> request.send())
              .compose(response -> response.body())
              .await(10, java.util.concurrent.TimeUnit.SECONDS)
              .toString();
      assertEquals("answered", body);
      assertEquals(1, strict.connections.get(), "the connection reached the metrics");
    } finally {
      vertx.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /** Loses every socket metric and, like vertx-micrometer, faults on a missing one. */
  private static final class Strict implements HttpServerMetrics<Object, Object, Object> {
    final java.util.concurrent.atomic.AtomicInteger connections =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public Object connected(SocketAddress remoteAddress, String remoteName) {
      connections.incrementAndGet();
      return null;
    }

    @Override
    public Object requestBegin(Object socketMetric, HttpRequest request) {
      return java.util.Objects.requireNonNull(socketMetric, "socketMetric");
    }

    @Override
    public void requestEnd(Object requestMetric, HttpRequest request, long bytesRead) {
      java.util.Objects.requireNonNull(requestMetric, "requestMetric");
    }

    @Override
    public void responseBegin(Object requestMetric, HttpResponse response) {
      java.util.Objects.requireNonNull(requestMetric, "requestMetric");
    }

    @Override
    public void responseEnd(Object requestMetric, HttpResponse response, long bytesWritten) {
      java.util.Objects.requireNonNull(requestMetric, "requestMetric");
    }
  }

  private double requests(String route) {
    return registry.find("vertx.http.server.requests").tag("route", route).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  private static final HttpRequest REQUEST = ObservedHttp.request(HttpMethod.GET);
  private static final HttpResponse RESPONSE = ObservedHttp.response(200);
}
