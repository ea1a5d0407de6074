package io.greenpledge.api;

import io.greenpledge.auth.Authentication;
import io.greenpledge.book.AlertRepository;
import io.greenpledge.book.PledgeRepository;
import io.greenpledge.book.ValuationRepository;
import io.greenpledge.stream.ValuationBoard;
import io.greenpledge.auth.Caller;
import io.greenpledge.auth.Role;
import io.greenpledge.config.Settings;
import io.greenpledge.feed.Ingest;
import io.greenpledge.market.Instruments;
import io.greenpledge.ops.Metrics;
import io.greenpledge.ops.Readiness;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.greenpledge.push.DeskSession;
import io.greenpledge.push.IngestSocket;
import io.greenpledge.push.PushHub;
import io.greenpledge.push.PushSettings;
import java.time.Duration;
import io.greenpledge.store.MarketRepository;
import io.greenpledge.stream.QuoteBoard;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The HTTP face of the gateway: the contract-first REST API under {@code /api/v1}, the WebSocket
 * endpoints, health, and the served contract.
 */
public final class HttpVerticle extends VerticleBase {

  public static final String CONTRACT = "openapi/gateway.yaml";
  /** ECharts' dist folder inside its webjar, served at /vendor. */
  static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist";
  static final long MAX_BODY_BYTES = 4L * 1024 * 1024;

  /** Everything the HTTP layer reads or calls. */
  public record Dependencies(Settings settings, Authentication authentication, Instruments catalog,
      QuoteBoard board, ValuationBoard valuations, MarketRepository marketRepository, PledgeRepository pledges,
      ValuationRepository history, AlertRepository alerts, Readiness readiness, Readiness liveness,
      Metrics metrics) {}

  private final Dependencies deps;
  private final int port;
  private final RateLimiter requests;
  private final RateLimiter ticks;
  private HttpServer server;
  private PushHub hub;

  /**
   * @param port        where to listen: instances on the same port share the server's connections
   * @param requests    per-token request limiter, shared by every instance
   * @param ticks       per-connector tick limiter, shared by every instance
   */
  public HttpVerticle(Dependencies deps, int port, RateLimiter requests, RateLimiter ticks) {
    this.deps = deps;
    this.port = port;
    this.requests = requests;
    this.ticks = ticks;
  }

  @Override
  public Future<?> start() {
    Settings settings = deps.settings();
    hub = new PushHub(vertx, deps.catalog(), deps.board(), deps.valuations(), deps.alerts(),
        new PushSettings(settings.wsWindow(), settings.wsSlowClose(), 10_000, Duration.ofSeconds(15),
            settings.wsIdleTimeout()), deps.metrics());
    return hub.start().compose(v -> vertx.fileSystem().readFile(CONTRACT).compose(text -> OpenAPIContract.from(vertx, forValidator(text))
        .compose(contract -> listen(router(contract, text)))));
  }

  @Override
  public Future<?> stop() {
    return hub.stop().compose(v -> server == null ? Future.succeededFuture() : server.close());
  }

  public PushHub hub() {
    return hub;
  }

  public int actualPort() {
    return server.actualPort();
  }

  /**
   * The contract as the request validator takes it. vertx-openapi 5.0 refuses response media types
   * it cannot validate, such as {@code application/problem+json}; responses are not validated at run
   * time, so the validator's copy names them {@code application/json}. {@code /openapi.yaml} serves the
   * contract unchanged.
   */
  static JsonObject forValidator(Buffer contractText) {
    String text = contractText.toString(java.nio.charset.StandardCharsets.UTF_8)
        .replace("application/problem+json:", "application/json:");
    Map<String, Object> tree = new org.yaml.snakeyaml.Yaml().load(text);
    return new JsonObject(tree);
  }

  private Future<HttpServer> listen(Router router) {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(deps.settings().httpHost())
        .setPort(port)
        .setMaxWebSocketFrameSize(1024 * 1024)
        .setMaxWebSocketMessageSize(4 * 1024 * 1024)
        // A peer that never answers the close handshake (a stalled client) is dropped after 2 s.
        .setWebSocketClosingTimeout(2)
        // No permessage-deflate (nor per-frame): Netty's inflater has no bound on what a small frame
        // inflates to, and it runs before authentication; one 1 MB frame of 10^9 spaces held an event
        // loop for a minute and 7 GB of memory. A frame with RSV1 set is now a protocol error.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setCompressionSupported(true);
    return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(s -> server = s);
  }

  private Router router(OpenAPIContract contract, Buffer contractText) {
    Router router = Router.router(vertx);
    router.get("/health/live").handler(this::live);
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(deps.metrics().registry()));
    router.get("/openapi.yaml").handler(ctx ->
        ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8").end(contractText));
    router.get("/ws").handler(ctx -> upgrade(ctx, socket ->
        new DeskSession(vertx, socket, deps.authentication(), hub).start()));
    router.get("/ws/ingest").handler(ctx -> upgrade(ctx, socket ->
        new IngestSocket(vertx, socket, deps.authentication(), new Ingest(vertx), ticks).start()));
    router.route("/api/v1/*").subRouter(api(contract));
    router.get("/vendor/*").handler(StaticHandler.create(ECHARTS).setMaxAgeSeconds(86_400));
    router.get("/*").handler(ctx -> {
      ctx.response().putHeader("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss:; "
          + "style-src 'self' 'unsafe-inline'; img-src 'self' data:");
      ctx.next();
    }).handler(StaticHandler.create("webroot").setCachingEnabled(false));
    router.route().last().handler(ctx -> Problems.notFound(ctx, "no resource at " + ctx.request().path()));
    router.route().failureHandler(Problems::handleFailure);
    return router;
  }

  private Router api(OpenAPIContract contract) {
    // Bearer tokens are checked by authenticate() (with a cache of verified tokens) before validation.
    RequestExtractor extractor = RequestExtractor.withBodyHandler();
    InlineRequestValidator validator = new InlineRequestValidator(vertx, contract);
    RouterBuilder builder = RouterBuilder.create(vertx, contract, extractor)
        .rootHandler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES).setHandleFileUploads(false))
        .rootHandler(this::authenticate);
    MarketApi market = new MarketApi(deps.catalog(), deps.settings().tradingHours(), deps.board(),
        deps.marketRepository());
    IngestApi ingest = new IngestApi(new Ingest(vertx), ticks);
    PledgeApi pledges = new PledgeApi(vertx, deps.catalog(), deps.pledges(), deps.history(), deps.valuations(),
        deps.settings().markBasis());
    RiskApi risk = new RiskApi(vertx, deps.catalog(), deps.board(), deps.valuations(), deps.alerts(), deps.pledges());
    Map<String, Handler<RoutingContext>> handlers = Map.ofEntries(
        Map.entry("listInstruments", market::listInstruments),
        Map.entry("listPrices", market::listPrices),
        Map.entry("getPrice", market::getPrice),
        Map.entry("getCandles", market::getCandles),
        Map.entry("ingestTicks", ingest::ingestTicks),
        Map.entry("listPledges", pledges::listPledges),
        Map.entry("createPledge", pledges::createPledge),
        Map.entry("getPledge", pledges::getPledge),
        Map.entry("updatePledge", pledges::updatePledge),
        Map.entry("releasePledge", pledges::releasePledge),
        Map.entry("getValuation", pledges::getValuation),
        Map.entry("listValuations", pledges::listValuations),
        Map.entry("getPortfolio", risk::getPortfolio),
        Map.entry("runStress", risk::runStress),
        Map.entry("listAlerts", risk::listAlerts),
        Map.entry("listConflicts", risk::listConflicts));
    for (OpenAPIRoute route : builder.getRoutes()) {
      String operationId = route.getOperation().getOperationId();
      Handler<RoutingContext> handler = handlers.get(operationId);
      if (handler == null) {
        throw new IllegalStateException("contract operation " + operationId + " has no handler");
      }
      route.setDoSecurity(false);
      route.setDoValidation(false);
      route.addHandler(validator.handler(extractor, route.getOperation())).addHandler(requireRoles(rolesOf(route)))
          .addHandler(handler).addFailureHandler(Problems::handleFailure);
    }
    Router api = builder.createRouter();
    api.route().failureHandler(Problems::handleFailure);
    return api;
  }

  /** The contract's {@code x-roles} of an operation: who may call it. */
  private static Set<Role> rolesOf(OpenAPIRoute route) {
    Object declared = route.getOperation().getExtensions().get("x-roles");
    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    if (declared instanceof Iterable<?> names) {
      names.forEach(name -> Role.fromClaim(String.valueOf(name)).ifPresent(roles::add));
    }
    if (roles.isEmpty()) {
      throw new IllegalStateException("operation " + route.getOperation().getOperationId() + " declares no x-roles");
    }
    return roles;
  }

  /** Every /api/v1 request needs a valid bearer token; the verified caller is kept on the context. */
  private void authenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      Problems.unauthenticated(ctx);
      return;
    }
    deps.authentication().verifyCached(header.substring(7).trim()).onComplete(result -> {
      if (result.failed()) {
        Problems.unauthenticated(ctx);
      } else {
        Requests.setCaller(ctx, result.result());
        ctx.next();
      }
    });
  }

  private Handler<RoutingContext> requireRoles(Set<Role> roles) {
    return ctx -> {
      Caller caller = Requests.caller(ctx);
      if (!caller.hasAny(roles)) {
        Problems.forbidden(ctx, "this operation needs one of the roles "
            + roles.stream().map(Role::claim).toList()
            + (caller.bank().isEmpty() ? " (viewer and risk-admin also need a bank claim)" : ""));
        return;
      }
      long wait = requests.take(caller.subject() + "@" + caller.bank().orElse("*"), 1);
      if (wait > 0) {
        Problems.tooManyRequests(ctx, wait, "requests");
        return;
      }
      ctx.next();
    };
  }

  /** Fails only for what a restart of the process cures (an embedded database that could not be restarted). */
  private void live(RoutingContext ctx) {
    deps.liveness().check().onSuccess(status -> ctx.response().setStatusCode("UP".equals(status.getString("status"))
        ? 200 : 503).putHeader("Content-Type", "application/json").end(status.encode()));
  }

  private void ready(RoutingContext ctx) {
    deps.readiness().check().onSuccess(status -> ctx.response()
        .setStatusCode("UP".equals(status.getString("status")) ? 200 : 503)
        .putHeader("Content-Type", "application/json").end(status.encode()));
  }

  private void upgrade(RoutingContext ctx, Consumer<io.vertx.core.http.ServerWebSocket> session) {
    ctx.request().toWebSocket()
        .onSuccess(session::accept)
        .onFailure(e -> Problems.badRequest(ctx, "WebSocket upgrade expected"));
  }
}
