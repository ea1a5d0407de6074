package io.greenpledge.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Vert.x's Micrometer metrics, with the HTTP server's per-connection calls made safe for a
 * connection that has no socket metric, and its request series kept ({@link HttpRequestMeters}).
 *
 * <p>Vert.x 5.0.10 creates a server's metrics in a listener of the bind, on another acceptor thread
 * than the one that accepts: a connection accepted in between gets no socket metric, while its
 * requests later find the server's HTTP metrics and report to them. vertx-micrometer then throws a
 * {@code NullPointerException} from inside Netty's pipeline ("socketMetric is null"), logged as a
 * warning, and the request is lost. A probe or a desk that reconnects the moment the gateway
 * listens hits it. Such a connection is simply not measured here; everything else is reported as
 * before.
 *
 * <p>One factory per registry: every HTTP server of every Vert.x it measures reports its requests
 * to one set of meters, as vertx-micrometer's servers share theirs.
 */
public final class GuardedMetricsFactory implements VertxMetricsFactory {

  private static final AtomicLong FACTORIES = new AtomicLong();

  private final MeterRegistry registry;
  private final MicrometerMetricsFactory micrometer;

  /**
   * vertx-micrometer keeps its backends in a static map by registry name, the first registry under
   * a name serving every Vert.x that names it: a second gateway in the same JVM (a two-node test, a
   * benchmark) reported its connections to the first one's registry. Each factory's own name.
   */
  private final String registryName = "greenpledge-" + FACTORIES.incrementAndGet();

  private HttpRequestMeters requests;

  public GuardedMetricsFactory(MeterRegistry registry) {
    this.registry = registry;
    this.micrometer = new MicrometerMetricsFactory(registry);
  }

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    MicrometerMetricsOptions own =
        ((MicrometerMetricsOptions) micrometer.newOptions(options.getMetricsOptions()))
            .setRegistryName(registryName);
    return new Guarded(
        micrometer.metrics(new VertxOptions(options).setMetricsOptions(own)), requests(own));
  }

  /** The request meters, made with the first Vert.x's options. */
  private synchronized HttpRequestMeters requests(MicrometerMetricsOptions options) {
    if (requests == null) {
      requests = HttpRequestMeters.of(registry, options);
    }
    return requests;
  }

  @Override
  public MetricsOptions newOptions() {
    return micrometer.newOptions();
  }

  @Override
  public MetricsOptions newOptions(MetricsOptions options) {
    return micrometer.newOptions(options);
  }

  @Override
  public MetricsOptions newOptions(io.vertx.core.json.JsonObject json) {
    return micrometer.newOptions(json);
  }

  /** Micrometer's metrics, every one passed through, the HTTP server's guarded. */
  private record Guarded(VertxMetrics delegate, HttpRequestMeters requests)
      implements VertxMetrics {

    @Override
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(
        HttpServerOptions options, SocketAddress localAddress) {
      HttpServerMetrics<?, ?, ?> server = delegate.createHttpServerMetrics(options, localAddress);
      return server == null ? null : guard(server, requests);
    }

    @Override
    public EventBusMetrics<?> createEventBusMetrics() {
      return delegate.createEventBusMetrics();
    }

    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(
        SocketAddress remoteAddress, String type, String namespace) {
      return delegate.createClientMetrics(remoteAddress, type, namespace);
    }

    @Override
    public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
      return delegate.createHttpClientMetrics(options);
    }

    @Override
    public TCPMetrics<?> createNetServerMetrics(
        NetServerOptions options, SocketAddress localAddress) {
      return delegate.createNetServerMetrics(options, localAddress);
    }

    @Override
    public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
      return delegate.createNetClientMetrics(options);
    }

    @Override
    public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
      return delegate.createDatagramSocketMetrics(options);
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String type, String name, int maxSize) {
      return delegate.createPoolMetrics(type, name, maxSize);
    }

    @Override
    public void vertxCreated(io.vertx.core.Vertx vertx) {
      delegate.vertxCreated(vertx);
    }

    @Override
    public boolean isMetricsEnabled() {
      return delegate.isMetricsEnabled();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  static <W, S> HttpServerMetrics<HttpRequestMeters.Request, W, S> guard(
      HttpServerMetrics<?, W, S> server, HttpRequestMeters requests) {
    return new GuardedHttpServer<>(server, requests);
  }

  /**
   * Passes a call on only when the metric it reports to exists: a connection without a socket
   * metric begins no request metric, so its requests and WebSockets are not measured at all. The
   * requests are measured by the kept meters, the connections and WebSockets by Vert.x's.
   */
  private record GuardedHttpServer<W, S>(
      HttpServerMetrics<?, W, S> delegate, HttpRequestMeters requests)
      implements HttpServerMetrics<HttpRequestMeters.Request, W, S> {

    @Override
    public HttpRequestMeters.Request requestBegin(S socketMetric, HttpRequest request) {
      return socketMetric == null ? null : requests.begin(request.method());
    }

    @Override
    public void requestEnd(
        HttpRequestMeters.Request requestMetric, HttpRequest request, long bytesRead) {
      if (requestMetric != null) {
        requests.ended(requestMetric, bytesRead);
      }
    }

    @Override
    public void requestReset(HttpRequestMeters.Request requestMetric) {
      if (requestMetric != null) {
        requests.reset(requestMetric);
      }
    }

    @Override
    public HttpRequestMeters.Request responsePushed(
        S socketMetric, HttpMethod method, String uri, HttpResponse response) {
      return socketMetric == null ? null : requests.begin(method);
    }

    @Override
    public void responseEnd(
        HttpRequestMeters.Request requestMetric, HttpResponse response, long bytesWritten) {
      if (requestMetric != null) {
        requests.responded(requestMetric, response, bytesWritten);
      }
    }

    @Override
    public W connected(
        S socketMetric, HttpRequestMeters.Request requestMetric, ServerWebSocket serverWebSocket) {
      // vertx-micrometer counts a WebSocket under its socket's tags; the request metric, which is
      // not its type here, is not read
      return socketMetric == null || requestMetric == null
          ? null
          : delegate.connected(socketMetric, null, serverWebSocket);
    }

    @Override
    public void disconnected(W serverWebSocketMetric) {
      if (serverWebSocketMetric != null) {
        delegate.disconnected(serverWebSocketMetric);
      }
    }

    @Override
    public void requestRouted(HttpRequestMeters.Request requestMetric, String route) {
      if (requestMetric != null) {
        requests.routed(requestMetric, route);
      }
    }

    @Override
    public S connected(SocketAddress remoteAddress, String remoteName) {
      return delegate.connected(remoteAddress, remoteName);
    }

    @Override
    public void disconnected(S socketMetric, SocketAddress remoteAddress) {
      if (socketMetric != null) {
        delegate.disconnected(socketMetric, remoteAddress);
      }
    }

    @Override
    public void bytesRead(S socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      if (socketMetric != null) {
        delegate.bytesRead(socketMetric, remoteAddress, numberOfBytes);
      }
    }

    @Override
    public void bytesWritten(S socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      if (socketMetric != null) {
        delegate.bytesWritten(socketMetric, remoteAddress, numberOfBytes);
      }
    }

    @Override
    public void exceptionOccurred(S socketMetric, SocketAddress remoteAddress, Throwable t) {
      if (socketMetric != null) {
        delegate.exceptionOccurred(socketMetric, remoteAddress, t);
      }
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
