package io.greenpledge.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MetricsNaming;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP server's request series of vertx-micrometer (same names, labels, descriptions and
 * values), each meter found once and then kept.
 *
 * <p>vertx-micrometer finds five meters in the registry on every request (the active requests, the
 * request bytes, then the count, the time and the response bytes under the response's tags), each
 * time building the tags and the meter's id and hashing them. That was 5.4 % of the gateway's CPU
 * answering the latest valuation (profile of 2026-11-29, io_uring). The label values here are
 * bounded (the contract's routes, the methods, the status codes), so each set of meters is found
 * once per method, or per method, route and status, and kept in a map read without a lock.
 *
 * <p>Only the labels the gateway sets are implemented: method, status code and route. A label that
 * would add the path or an address to every request's tags is refused at start.
 *
 * <p>Thread-safe: the maps are concurrent; a {@link Request} belongs to its connection's event
 * loop.
 */
final class HttpRequestMeters {

  /** Labels a request's tags may carry here; the others apply to sockets, pools and the bus. */
  private static final Set<Label> REFUSED = EnumSet.of(Label.HTTP_PATH, Label.LOCAL, Label.REMOTE);

  private static final Set<HttpMethod> KNOWN = Set.copyOf(HttpMethod.values());
  private static final HttpMethod OTHER = HttpMethod.valueOf("OTHER");

  private final MeterRegistry registry;
  private final MetricsNaming names;
  private final boolean byMethod;
  private final boolean byCode;
  private final boolean byRoute;
  private final ConcurrentMap<HttpMethod, PerMethod> methods = new ConcurrentHashMap<>();
  private final ConcurrentMap<ResponseKey, PerResponse> responses = new ConcurrentHashMap<>();

  private HttpRequestMeters(MeterRegistry registry, MicrometerMetricsOptions options) {
    this.registry = registry;
    this.names =
        options
            .getMetricsNaming()
            .withBaseName("vertx." + MetricsDomain.HTTP_SERVER.toCategory() + ".");
    Set<Label> labels = options.getLabels();
    this.byMethod = labels.contains(Label.HTTP_METHOD);
    this.byCode = labels.contains(Label.HTTP_CODE);
    this.byRoute = labels.contains(Label.HTTP_ROUTE);
  }

  /**
   * The request meters for these options.
   *
   * @throws IllegalArgumentException when the options ask for a label or tags these meters do not
   *     implement
   */
  static HttpRequestMeters of(MeterRegistry registry, MicrometerMetricsOptions options) {
    for (Label label : options.getLabels()) {
      if (REFUSED.contains(label)) {
        throw new IllegalArgumentException(
            "the HTTP request metrics do not implement the label " + label.name());
      }
    }
    if (options.getServerRequestTagsProvider() != null) {
      throw new IllegalArgumentException(
          "the HTTP request metrics do not implement a server request tags provider");
    }
    return new HttpRequestMeters(registry, options);
  }

  /** A request begun: counted as active until both its request and its response have ended. */
  Request begin(HttpMethod method) {
    return new Request(methods.computeIfAbsent(known(method), this::perMethod));
  }

  /**
   * The method as a label value: a client may send any token as a method, and each would be a new
   * series that lives as long as the process (vertx-micrometer labels it as sent), so a method HTTP
   * does not define is counted as {@code OTHER}.
   */
  private HttpMethod known(HttpMethod method) {
    if (!byMethod) {
      return HttpMethod.GET; // one set of meters, without the label
    }
    return KNOWN.contains(method) ? method : OTHER;
  }

  void ended(Request request, long bytesRead) {
    request.meters.requestBytes().record(bytesRead);
    request.requestEnded = true;
    request.leaveWhenBothEnded();
  }

  void reset(Request request) {
    // rare: found in the registry each time, and so only once a request was reset, as Vert.x does
    Counter.builder(names.getHttpRequestResetsCount())
        .description("Number of request resets")
        .tags(request.meters.tags)
        .register(registry)
        .increment();
    request.meters.active.decrement();
    request.reset = true;
  }

  void responded(Request request, HttpResponse response, long bytesWritten) {
    PerResponse meters =
        responses.computeIfAbsent(
            new ResponseKey(
                request.meters, request.firstRoute, request.laterRoutes, code(response)),
            this::perResponse);
    meters.count.increment();
    meters.time.record(System.nanoTime() - request.started, TimeUnit.NANOSECONDS);
    meters.responseBytes.record(bytesWritten);
    request.responseEnded = true;
    request.leaveWhenBothEnded();
  }

  /** A router matched this route (kept only when the routes are a label). */
  void routed(Request request, String route) {
    if (byRoute && route != null) {
      request.routed(route);
    }
  }

  private int code(HttpResponse response) {
    return byCode ? response.statusCode() : 0;
  }

  private PerMethod perMethod(HttpMethod method) {
    Tags tags = byMethod ? Tags.of(Label.HTTP_METHOD.toString(), method.toString()) : Tags.empty();
    LongAdder active = new LongAdder();
    Gauge.builder(names.getHttpActiveRequests(), active, LongAdder::doubleValue)
        .description("Number of requests being processed")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    return new PerMethod(tags, active);
  }

  private PerResponse perResponse(ResponseKey key) {
    Tags tags = key.meters().tags;
    if (byRoute) {
      tags = tags.and(Label.HTTP_ROUTE.toString(), key.route());
    }
    if (byCode) {
      tags = tags.and(Label.HTTP_CODE.toString(), String.valueOf(key.code()));
    }
    return new PerResponse(
        Counter.builder(names.getHttpRequestsCount())
            .description("Number of processed requests")
            .tags(tags)
            .register(registry),
        Timer.builder(names.getHttpResponseTime())
            .description("Request processing time")
            .tags(tags)
            .register(registry),
        DistributionSummary.builder(names.getHttpResponseBytes())
            .description("Size of responses in bytes")
            .tags(tags)
            .register(registry));
  }

  /** A method's meters; its request sizes found at the first request that ends, as Vert.x does. */
  private final class PerMethod {
    final Tags tags;
    final LongAdder active;
    // set by whichever loop ends the method's first request; a race finds the same meter twice
    private DistributionSummary requestBytes;

    PerMethod(Tags tags, LongAdder active) {
      this.tags = tags;
      this.active = active;
    }

    DistributionSummary requestBytes() {
      if (requestBytes == null) {
        requestBytes =
            DistributionSummary.builder(names.getHttpRequestBytes())
                .description("Size of requests in bytes")
                .tags(tags)
                .register(registry);
      }
      return requestBytes;
    }
  }

  /**
   * A response's meters by its method's meters (one per method), the routes it went through and its
   * status. The routes are kept as the routers gave them, strings that live as long as their routes
   * and whose hashes are computed once, so finding the meters joins and hashes nothing per request.
   */
  private record ResponseKey(PerMethod meters, String firstRoute, String laterRoutes, int code) {

    /** The route label: the routes joined with '>', as vertx-micrometer joins them. */
    String route() {
      if (firstRoute == null) {
        return "";
      }
      return laterRoutes == null ? firstRoute : firstRoute + ">" + laterRoutes;
    }
  }

  private record PerResponse(Counter count, Timer time, DistributionSummary responseBytes) {}

  /** One request's state, from its begin to its response's end, on its connection's loop. */
  static final class Request {
    private final PerMethod meters;
    private final long started = System.nanoTime();
    private String firstRoute;

    /** The routes after the first, joined with '>' (rarely more than one). */
    private String laterRoutes;

    private boolean requestEnded;
    private boolean responseEnded;
    private boolean reset;

    private Request(PerMethod meters) {
      this.meters = meters;
      meters.active.increment();
    }

    private void routed(String matched) {
      if (firstRoute == null) {
        firstRoute = matched;
      } else {
        laterRoutes = laterRoutes == null ? matched : laterRoutes + ">" + matched;
      }
    }

    /** No longer active once both its request and its response have ended, unless it was reset. */
    private void leaveWhenBothEnded() {
      if (!reset && requestEnded && responseEnded) {
        meters.active.decrement();
      }
    }
  }
}
