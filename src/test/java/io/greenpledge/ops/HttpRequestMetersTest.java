package io.greenpledge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The kept request meters export what vertx-micrometer's own HTTP server metrics export for the
 * same calls: every series of {@code vertx_http_server_*} with its labels, description and value
 * (the response times' sums, maxima and buckets aside, which depend on the clock), checked by
 * running one script of requests against both.
 */
class HttpRequestMetersTest {

  private static final SocketAddress PEER = ObservedHttp.PEER;
  private static final MicrometerMetricsOptions OPTIONS =
      new MicrometerMetricsOptions().setEnabled(true).addLabels(Label.HTTP_ROUTE);

  @Test
  void theSeriesAreVertxMicrometersOwn() {
    String vertx = scrapeAfterScript(MicrometerMetricsFactory::new);
    String kept = scrapeAfterScript(GuardedMetricsFactory::new);
    assertTrue(vertx.contains("route=\"/api/v1/>/pledges/:id/valuation\""), vertx);
    assertTrue(vertx.contains("vertx_http_server_active_requests{method=\"DELETE\"} 1.0"), vertx);
    assertTrue(vertx.contains("vertx_http_server_request_resets_total{method=\"GET\"} 1.0"), vertx);
    assertEquals(vertx, kept);
  }

  /**
   * Any token is a method to HTTP's grammar: each one a client sends would be a series for the life
   * of the process. Those HTTP does not define are one series, {@code OTHER}.
   */
  @Test
  void aMethodHttpDoesNotDefineIsCountedAsOther() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    String scrape =
        afterScript(
            new GuardedMetricsFactory(registry),
            registry,
            server -> {
              Object socket = server.connected(PEER, "127.0.0.1");
              for (int i = 0; i < 1_000; i++) {
                answer(
                    server,
                    socket,
                    HttpMethod.valueOf("INVENTED" + i),
                    List.of("/api/v1/"),
                    401,
                    0);
              }
              answer(server, socket, HttpMethod.PATCH, List.of("/api/v1/"), 401, 0);
            });
    assertTrue(
        scrape.contains(
            "vertx_http_server_requests_total{code=\"401\",method=\"OTHER\",route=\"/api/v1/\"}"
                + " 1000.0"),
        scrape);
    assertTrue(scrape.contains("method=\"PATCH\""), scrape);
    assertTrue(!scrape.contains("INVENTED"), scrape);
  }

  @Test
  void aLabelThatWouldPutThePathOrAnAddressOnEveryRequestIsRefused() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    for (Label label : List.of(Label.HTTP_PATH, Label.LOCAL, Label.REMOTE)) {
      IllegalArgumentException refused =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  HttpRequestMeters.of(
                      registry, new MicrometerMetricsOptions().setEnabled(true).addLabels(label)));
      assertTrue(refused.getMessage().contains(label.name()), refused.getMessage());
    }
  }

  /** Both the same script: answered, reset, still open, answered in either order, upgraded. */
  private static String scrapeAfterScript(
      java.util.function.Function<PrometheusMeterRegistry, VertxMetricsFactory> factory) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return afterScript(factory.apply(registry), registry, HttpRequestMetersTest::script);
  }

  private static void script(HttpServerMetrics<Object, Object, Object> server) {
    Object socket = server.connected(PEER, "127.0.0.1");
    List<String> valuation = List.of("/api/v1/", "/pledges/:id/valuation");
    for (int i = 0; i < 3; i++) {
      answer(server, socket, HttpMethod.GET, valuation, 200, 0);
    }
    answer(server, socket, HttpMethod.POST, List.of("/api/v1/", "/ticks"), 202, 512);
    answer(server, socket, HttpMethod.GET, List.of(), 404, 0);
    answer(server, socket, HttpMethod.GET, valuation, 404, 0);

    Object respondedFirst = server.requestBegin(socket, ObservedHttp.request(HttpMethod.PUT));
    server.requestRouted(respondedFirst, "/api/v1/");
    server.responseEnd(respondedFirst, ObservedHttp.response(413), 180);
    server.requestEnd(respondedFirst, ObservedHttp.request(HttpMethod.PUT), 4096);

    Object reset = server.requestBegin(socket, ObservedHttp.request(HttpMethod.GET));
    server.requestRouted(reset, "/api/v1/");
    server.requestReset(reset);

    Object open = server.requestBegin(socket, ObservedHttp.request(HttpMethod.DELETE));
    server.requestRouted(open, "/api/v1/");

    Object upgrade = server.requestBegin(socket, ObservedHttp.request(HttpMethod.GET));
    server.requestRouted(upgrade, "/ws");
    server.requestEnd(upgrade, ObservedHttp.request(HttpMethod.GET), 0);
    server.connected(socket, upgrade, null);
    server.responseEnd(upgrade, ObservedHttp.response(101), 0);
  }

  /**
   * The HTTP series after a script, the metrics closed after it: vertx-micrometer keeps its backend
   * in a static map by registry name until then, and a second one would report to the first's
   * registry.
   */
  @SuppressWarnings("unchecked")
  private static String afterScript(
      VertxMetricsFactory factory,
      PrometheusMeterRegistry registry,
      java.util.function.Consumer<HttpServerMetrics<Object, Object, Object>> script) {
    VertxMetrics metrics = factory.metrics(new VertxOptions().setMetricsOptions(OPTIONS));
    HttpServerMetrics<Object, Object, Object> server =
        (HttpServerMetrics<Object, Object, Object>)
            metrics.createHttpServerMetrics(
                new HttpServerOptions(), SocketAddress.inetSocketAddress(8080, "127.0.0.1"));
    try {
      script.accept(server);
      return httpSeries(registry);
    } finally {
      server.close();
      metrics.close();
    }
  }

  private static void answer(
      HttpServerMetrics<Object, Object, Object> server,
      Object socket,
      HttpMethod method,
      List<String> routes,
      int status,
      long bytesRead) {
    Object request = server.requestBegin(socket, ObservedHttp.request(method));
    routes.forEach(route -> server.requestRouted(request, route));
    server.requestEnd(request, ObservedHttp.request(method), bytesRead);
    server.responseBegin(request, ObservedHttp.response(status));
    server.responseEnd(request, ObservedHttp.response(status), 100 + status);
  }

  /** The HTTP server's lines, sorted, without the values that depend on the clock. */
  private static String httpSeries(PrometheusMeterRegistry registry) {
    return registry
        .scrape()
        .lines()
        .filter(line -> line.contains("vertx_http_server_"))
        .filter(
            line ->
                line.startsWith("#") || !line.matches(".*response_time_seconds_(sum|max|bucket).*"))
        .collect(Collectors.toCollection(TreeSet::new))
        .stream()
        .collect(Collectors.joining("\n"));
  }
}
