package io.greenpledge.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * The REST baseline of issue 22: the most a Vert.x HTTP server on this machine can answer, so that
 * the gateway's {@code GET /pledges/{id}/valuation} is measured against the machine, not only
 * against its target. It answers every request with the same bytes the gateway answers (the body a
 * file holds, a fresh {@code X-Request-Id}, the same content type), from one verticle per event
 * loop like the gateway, on the gateway's default transport (io_uring, else epoll), and does
 * nothing else: no routing, authentication, validation or metrics. {@code bench/rest-ceiling.sh}
 * runs wrk against it and the gateway alternately.
 *
 * <pre>
 * java -cp … io.greenpledge.bench.RestCeiling --port 18481 --body valuation.json --instances 2
 * </pre>
 */
public final class RestCeiling extends VerticleBase {

  private final int port;
  private final Buffer body;

  private RestCeiling(int port, Buffer body) {
    this.port = port;
    this.body = body;
  }

  @Override
  public Future<?> start() {
    return vertx
        .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
        .requestHandler(
            request ->
                request
                    .response()
                    .putHeader("X-Request-Id", UUID.randomUUID().toString())
                    .putHeader("Content-Type", "application/json")
                    .end(body))
        .listen();
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = PushLoad.options(args);
    int port = Integer.parseInt(options.getOrDefault("port", "18481"));
    int instances =
        Integer.parseInt(
            options.getOrDefault(
                "instances", String.valueOf(Runtime.getRuntime().availableProcessors())));
    Buffer body =
        Buffer.buffer(Files.readAllBytes(Path.of(options.getOrDefault("body", "valuation.json"))));
    io.vertx.core.transport.Transport transport =
        io.greenpledge.SocketTransport.choose(io.greenpledge.config.Settings.Transport.NATIVE);
    Vertx vertx = Vertx.builder().with(new VertxOptions()).withTransport(transport).build();
    vertx
        .deployVerticle(
            () -> new RestCeiling(port, body), new DeploymentOptions().setInstances(instances))
        .toCompletionStage()
        .toCompletableFuture()
        .join();
    System.out.println(
        "ceiling listening on "
            + port
            + ", "
            + instances
            + " instances, "
            + io.greenpledge.SocketTransport.name(transport)
            + " transport");
  }
}
