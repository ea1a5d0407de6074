package io.greenpledge.api;

import io.greenpledge.alerts.AlertStore;
import io.greenpledge.auth.Authentication;
import io.greenpledge.auth.Caller;
import io.greenpledge.auth.Role;
import io.greenpledge.book.PledgeRepository;
import io.greenpledge.book.ValuationRepository;
import io.greenpledge.config.Settings;
import io.greenpledge.engine.Bus;
import io.greenpledge.engine.HistoryChanged;
import io.greenpledge.engine.market.QuoteBoard;
import io.greenpledge.engine.risk.ValuationBoard;
import io.greenpledge.feed.Ingest;
import io.greenpledge.feed.history.HistoryImport;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.TradingCalendar;
import io.greenpledge.ops.Metrics;
import io.greenpledge.ops.OneAtATime;
import io.greenpledge.ops.RateLimiter;
import io.greenpledge.ops.Readiness;
import io.greenpledge.push.PushEndpoints;
import io.greenpledge.push.SocketSession;
import io.greenpledge.store.AuditLog;
import io.greenpledge.store.HistoryRepository;
import io.greenpledge.store.MarketRepository;
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
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP face of the gateway: the contract-first REST API under {@code /api/v1}, the WebSocket
 * endpoints, health, and the served contract.
 */
public final class HttpVerticle extends VerticleBase {

  public static final String CONTRACT = "openapi/gateway.yaml";

  /** The WebSocket protocol's contract (AsyncAPI 3.0), served at {@code /asyncapi.yaml}. */
  public static final String PUSH_CONTRACT = "asyncapi/gateway.yaml";

  /** ECharts' dist folder inside its webjar, served at /vendor. */
  static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist";

  static final long MAX_BODY_BYTES = 4L * 1024 * 1024;

  /** Everything the HTTP layer reads or calls. */
  public record Dependencies(
      Settings settings,
      Authentication authentication,
      Instruments catalog,
      QuoteBoard board,
      ValuationBoard valuations,
      MarketRepository marketRepository,
      PledgeRepository pledges,
      ValuationRepository history,
      AlertStore alerts,
      Readiness readiness,
      Readiness liveness,
      ConnectionLimits limits,
      OneAtATime bookReads,
      Metrics metrics,
      Ingest ingest,
      HistoryRepository imports,
      AuditLog audit,
      PushEndpoints.Factory push) {}

  private final Dependencies deps;
  private final int port;
  private final RateLimiter requests;
  private final RateLimiter failedAuthentications;

  /**
   * Connections of this verticle that have not sent a whole request head yet, with their timers.
   */
  private final Map<io.vertx.core.http.HttpConnection, Long> awaitingFirstRequest =
      new java.util.HashMap<>();

  static final long HEADER_TIMEOUT_MILLIS = 10_000;
  private HttpServer server;
  private PushEndpoints push;
  private HistoryApi history;

  /**
   * @param port where to listen: instances on the same port share the server's connections
   * @param requests per-token request limiter, shared by every instance
   */
  public HttpVerticle(
      Dependencies deps, int port, RateLimiter requests, RateLimiter failedAuthentications) {
    this.failedAuthentications = failedAuthentications;
    this.deps = deps;
    this.port = port;
    this.requests = requests;
  }

  @Override
  public Future<?> start() {
    push = deps.push().create(vertx);
    history =
        new HistoryApi(
            vertx,
            deps.catalog(),
            // Imported days are the exchange's: judged (and their statistics read) on its calendar.
            new HistoryImport(
                deps.catalog(),
                TradingCalendar.exchange(),
                deps.imports(),
                java.time.Clock.systemUTC()),
            deps.imports(),
            deps.settings().store().dataDir(),
            instruments -> Bus.HISTORY.publish(vertx, new HistoryChanged(instruments)));
    return push.start()
        .compose(
            v ->
                vertx
                    .fileSystem()
                    .readFile(PUSH_CONTRACT)
                    .compose(
                        pushText ->
                            vertx
                                .fileSystem()
                                .readFile(CONTRACT)
                                .compose(
                                    text ->
                                        OpenAPIContract.from(vertx, forValidator(text))
                                            .compose(
                                                contract ->
                                                    listen(router(contract, text, pushText))))));
  }

  @Override
  public Future<?> stop() {
    return push.stop().compose(v -> server == null ? Future.succeededFuture() : server.close());
  }

  public PushEndpoints push() {
    return push;
  }

  public int actualPort() {
    return server.actualPort();
  }

  /**
   * The contract as the request validator takes it. vertx-openapi 5.0 refuses response media types
   * it cannot validate, such as {@code application/problem+json}; responses are not validated at
   * run time, so the validator's copy names them {@code application/json}. {@code /openapi.yaml}
   * serves the contract unchanged.
   */
  static JsonObject forValidator(Buffer contractText) {
    String text =
        contractText
            .toString(java.nio.charset.StandardCharsets.UTF_8)
            .replace("application/problem+json:", "application/json:")
            // Nor text/csv request bodies; the history upload is streamed outside the validator.
            .replace("text/csv:", "text/plain:");
    Map<String, Object> tree = new org.yaml.snakeyaml.Yaml().load(text);
    return new JsonObject(tree);
  }

  private Future<HttpServer> listen(Router router) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(deps.settings().http().host())
            .setPort(port)
            .setMaxWebSocketFrameSize(1024 * 1024)
            .setMaxWebSocketMessageSize(4 * 1024 * 1024)
            // A peer that never answers the close handshake (a stalled client) is dropped after
            // two seconds.
            .setWebSocketClosingTimeout(2)
            // Keep-alive connections and sockets silent both ways this long are closed (desks
            // get heartbeats).
            .setIdleTimeout((int) Math.max(30, deps.settings().push().idleTimeout().toSeconds()))
            .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS)
            // No permessage-deflate (nor per-frame): Netty's inflater has no bound on what a
            // small frame inflates to, and it runs before authentication; one 1 MB frame of 10^9
            // spaces held an event loop for a minute and 7 GB of memory. A frame with RSV1 set is
            // now a protocol error.
            // HTTP/1.1 only: with h2c on, a connection exists (and is counted, and timed) only
            // once its first bytes arrive, so a silent client would hold a socket outside every
            // limit.
            .setHttp2ClearTextEnabled(false)
            .setPerMessageWebSocketCompressionSupported(false)
            .setPerFrameWebSocketCompressionSupported(false)
            .setCompressionSupported(true);
    return vertx
        .createHttpServer(options)
        .connectionHandler(this::onConnection)
        .requestHandler(request -> onRequest(request, router))
        .listen()
        .onSuccess(s -> server = s);
  }

  private Router router(OpenAPIContract contract, Buffer contractText, Buffer pushContractText) {
    Router router = Router.router(vertx);
    router.route().handler(Requests::assignRequestId);
    router.get("/health/live").handler(this::live);
    router.get("/health/ready").handler(this::ready);
    // /metrics is on the management port only (ManagementServer): it holds every bank's figures
    router
        .get("/openapi.yaml")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "application/yaml; charset=utf-8")
                    .end(contractText));
    router
        .get("/asyncapi.yaml")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "application/yaml; charset=utf-8")
                    .end(pushContractText));
    // Streamed to disk, so ahead of the API router (whose body handler would hold it in memory);
    // the same token, role and rate checks as every operation.
    router
        .post("/api/v1/history")
        .handler(
            ctx -> {
              ctx.request()
                  .pause(); // the body waits while the token is checked; HistoryApi resumes it
              ctx.next();
            })
        .handler(this::authenticate)
        .handler(requireRoles(EnumSet.of(Role.MARKET_ADMIN)))
        .handler(history::importHistory);
    router.get("/ws").handler(ctx -> upgrade(ctx, push::desk));
    router.get("/ws/ingest").handler(ctx -> upgrade(ctx, push::ingest));
    router.route("/api/v1/*").subRouter(api(contract));
    router.get("/vendor/*").handler(StaticHandler.create(ECHARTS).setMaxAgeSeconds(86_400));
    // The desk client is a public ES module: a bank's own pages on their own origin may import it.
    router
        .get("/client/*")
        .handler(
            ctx -> {
              ctx.response().putHeader("Access-Control-Allow-Origin", "*");
              ctx.next();
            });
    router
        .get("/*")
        .handler(
            ctx -> {
              ctx.response()
                  .putHeader(
                      "Content-Security-Policy",
                      "default-src 'self'; connect-src 'self' ws: wss:; "
                          + "style-src 'self' 'unsafe-inline'; img-src 'self' data:");
              ctx.next();
            })
        .handler(StaticHandler.create("webroot").setCachingEnabled(false));
    router
        .route()
        .last()
        .handler(ctx -> Problems.notFound(ctx, "no resource at " + ctx.request().path()));
    router.route().failureHandler(Problems::handleFailure);
    return router;
  }

  private Router api(OpenAPIContract contract) {
    // Bearer tokens are checked by authenticate() (with a cache of verified tokens) before
    // validation.
    RequestExtractor extractor = RequestExtractor.withBodyHandler();
    InlineRequestValidator validator = new InlineRequestValidator(vertx, contract);
    MarketApi market =
        new MarketApi(
            deps.catalog(),
            deps.settings().market().tradingHours(),
            deps.board(),
            deps.marketRepository());
    IngestApi ingest = new IngestApi(deps.ingest());
    io.greenpledge.book.MarginCallRepository callRepository =
        new io.greenpledge.book.MarginCallRepository(deps.audit().pool());
    FourEyes fourEyes =
        new FourEyes(
            new io.greenpledge.book.ChangeRequestRepository(deps.audit().pool()),
            new io.greenpledge.book.PolicyRepository(deps.audit().pool()),
            deps.settings().fourEyes().actions(),
            deps.settings().fourEyes().ttl());
    Eligibility eligibility =
        new Eligibility(
            new io.greenpledge.book.LimitsRepository(deps.audit().pool()),
            deps.board(),
            deps.catalog());
    PledgeApi pledges =
        new PledgeApi(
            vertx,
            deps.catalog(),
            deps.pledges(),
            deps.history(),
            deps.valuations(),
            deps.settings().market().markBasis(),
            new PledgeApi.Past(
                deps.marketRepository(),
                deps.imports(),
                TradingCalendar.of(deps.settings().market().tradingHours())),
            deps.audit(),
            fourEyes,
            callRepository,
            eligibility);
    RiskApi risk =
        new RiskApi(
            vertx,
            deps.catalog(),
            deps.board(),
            deps.valuations(),
            deps.alerts(),
            deps.pledges(),
            deps.audit(),
            deps.bookReads());
    MarginCallApi calls = new MarginCallApi(callRepository, deps.valuations(), fourEyes);
    DisposalApi disposals =
        new DisposalApi(
            new io.greenpledge.book.DisposalRepository(deps.audit().pool()),
            deps.pledges(),
            pledges,
            fourEyes);
    SystemApi system =
        new SystemApi(
            vertx,
            deps.board(),
            deps.valuations(),
            deps.pledges(),
            deps.history(),
            deps.catalog(),
            deps.bookReads());
    PolicyApi policy = new PolicyApi(fourEyes, deps.settings().market().callDueDays());
    LimitsApi limits = new LimitsApi(eligibility, deps.pledges(), fourEyes, deps.valuations());
    ChangeRequestApi changes =
        new ChangeRequestApi(fourEyes, pledges, calls, disposals, policy, limits);
    DesksApi desks = new DesksApi(deps.push().desks(), nodeName());
    DisplaysApi displays =
        new DisplaysApi(
            new io.greenpledge.book.DisplayRepository(deps.audit().pool()),
            deps.authentication(),
            deps.push().desks());
    Map<String, Handler<RoutingContext>> handlers =
        Map.ofEntries(
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
            // Reached through the streaming route above, never through this router.
            Map.entry("importHistory", history::importHistory),
            Map.entry("listHistoryImports", history::listImports),
            Map.entry("undoHistoryImport", history::undoImport),
            Map.entry("listAudit", risk::listAudit),
            Map.entry("listMarginCalls", calls::listCalls),
            Map.entry("listChangeRequests", changes::list),
            Map.entry("approveChangeRequest", changes::approve),
            Map.entry("rejectChangeRequest", changes::reject),
            Map.entry("getMarginCall", calls::getCall),
            Map.entry("acknowledgeMarginCall", calls::acknowledge),
            Map.entry("disputeMarginCall", calls::dispute),
            Map.entry("resolveMarginCall", calls::resolve),
            Map.entry("listDisposals", disposals::list),
            Map.entry("getDisposal", disposals::get),
            Map.entry("disposeDisposal", disposals::dispose),
            Map.entry("forbearDisposal", disposals::forbear),
            Map.entry("getPolicy", policy::get),
            Map.entry("getSystemExposure", system::exposure),
            Map.entry("getGreenLoans", system::greenLoans),
            Map.entry("runSystemStress", risk::runStress),
            Map.entry("getLimits", limits::get),
            Map.entry("putLimits", limits::put),
            Map.entry("listSharedBorrowers", system::borrowers),
            Map.entry("putPolicy", policy::put),
            Map.entry("listConflicts", risk::listConflicts),
            Map.entry("listDesks", desks::list),
            Map.entry("getPortfolioTrend", new TrendApi(deps.history())::trend),
            Map.entry("listDisplays", displays::list),
            Map.entry("createDisplay", displays::create),
            Map.entry("revokeDisplay", displays::revoke),
            Map.entry("renewDisplay", displays::renew));
    Operations operations = new Operations();
    for (Operation operation : contract.operations()) {
      Handler<RoutingContext> handler = handlers.get(operation.getOperationId());
      if (handler == null) {
        throw new IllegalStateException(
            "contract operation " + operation.getOperationId() + " has no handler");
      }
      // Roles and the caller's rate first: a token that may not call an operation learns nothing of
      // its schema, and invalid requests spend the caller's budget like valid ones.
      operations.add(
          operation,
          requireRoles(rolesOf(operation)),
          validator.handler(extractor, operation),
          handler);
    }
    Router api = Router.router(vertx);
    api.route()
        .handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES).setHandleFileUploads(false))
        .handler(this::authenticate);
    operations.mountOn(api);
    api.route().failureHandler(Problems::handleFailure);
    return api;
  }

  /** The contract's {@code x-roles} of an operation: who may call it. */
  private static Set<Role> rolesOf(Operation operation) {
    Object declared = operation.getExtensions().get("x-roles");
    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    if (declared instanceof Iterable<?> names) {
      names.forEach(name -> Role.fromClaim(String.valueOf(name)).ifPresent(roles::add));
    }
    if (roles.isEmpty()) {
      throw new IllegalStateException(
          "operation " + operation.getOperationId() + " declares no x-roles");
    }
    return roles;
  }

  /**
   * Every /api/v1 request needs a valid bearer token; the verified caller is kept on the context.
   * Failed authentications are limited per client address (a token cannot key them): past the
   * budget an address gets 429 without its token being checked.
   */
  private void authenticate(RoutingContext ctx) {
    String address = clientAddress(ctx);
    long blocked = failedAuthentications.waitFor(address);
    if (blocked > 0) {
      Problems.tooManyRequests(ctx, blocked, "failed authentications from this address");
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      failedAuthentications.take(address, 1);
      Problems.unauthenticated(ctx);
      return;
    }
    deps.authentication()
        .verifyCached(header.substring(7).trim())
        .onComplete(
            result -> {
              if (result.failed()) {
                failedAuthentications.take(address, 1);
                Problems.unauthenticated(ctx);
              } else {
                Requests.setCaller(ctx, result.result());
                ctx.next();
              }
            });
  }

  /** The name presence gives this node: the pod's (HOSTNAME in Kubernetes), else "local". */
  private static String nodeName() {
    String host = System.getenv("HOSTNAME");
    return host == null || host.isBlank() ? "local" : host;
  }

  private Handler<RoutingContext> requireRoles(Set<Role> roles) {
    return ctx -> {
      Caller caller = Requests.caller(ctx);
      if (!caller.hasAny(roles)) {
        Problems.forbidden(
            ctx,
            "this operation needs one of the roles "
                + roles.stream().map(Role::claim).toList()
                + (caller.bank().isEmpty()
                    ? " (viewer and risk-admin also need a bank claim)"
                    : ""));
        return;
      }
      long wait = requests.take(caller.limitKey(), 1);
      if (wait > 0) {
        Problems.tooManyRequests(ctx, wait, "requests");
        return;
      }
      ctx.next();
    };
  }

  private static String clientAddress(RoutingContext ctx) {
    io.vertx.core.net.SocketAddress remote = ctx.request().remoteAddress();
    return remote == null ? "-" : remote.hostAddress();
  }

  /**
   * Fails only for what a restart of the process cures (an embedded database that could not be
   * restarted).
   */
  private void live(RoutingContext ctx) {
    deps.liveness().check().onSuccess(report -> health(ctx, report));
  }

  private void ready(RoutingContext ctx) {
    deps.readiness().check().onSuccess(report -> health(ctx, report));
  }

  private static void health(RoutingContext ctx, Readiness.Report report) {
    ctx.response()
        .setStatusCode(report.up() ? 200 : 503)
        .putHeader("Content-Type", "application/json")
        .end(io.greenpledge.wire.Wire.health(report.up(), report.checks()).encode());
  }

  /** Upgrades if the client address may open one more unauthenticated socket; 429 otherwise. */
  private void upgrade(
      RoutingContext ctx,
      java.util.function.Function<io.vertx.core.http.ServerWebSocket, SocketSession> session) {
    String address = ConnectionLimits.addressOf(ctx.request().remoteAddress());
    if (!deps.limits().admitUnauthenticated(address)) {
      Problems.tooManyRequests(ctx, 1, "WebSockets waiting for authentication from this address");
      return;
    }
    ctx.request()
        .toWebSocket()
        .onSuccess(
            socket ->
                session
                    .apply(socket)
                    .whenAdmissionEnds(() -> deps.limits().authenticatedOrClosed(address))
                    .start())
        .onFailure(
            e -> {
              deps.limits().authenticatedOrClosed(address);
              Problems.badRequest(ctx, "WebSocket upgrade expected");
            });
  }

  /**
   * A connection must send a whole request head within {@link #HEADER_TIMEOUT_MILLIS}: a client
   * that trickles header bytes (or sends nothing) would otherwise hold a connection and a file
   * descriptor for as long as it likes. Later idleness is the idle timeout's.
   */
  private void onConnection(io.vertx.core.http.HttpConnection connection) {
    String address = ConnectionLimits.addressOf(connection.remoteAddress());
    long timer =
        vertx.setTimer(
            HEADER_TIMEOUT_MILLIS,
            id -> {
              if (awaitingFirstRequest.remove(connection) != null) {
                deps.metrics().connectionRefused("header-timeout");
                connection.close();
              }
            });
    awaitingFirstRequest.put(connection, timer);
    connection.closeHandler(
        v -> {
          deps.limits().connectionClosed(address);
          Long pending = awaitingFirstRequest.remove(connection);
          if (pending != null) {
            vertx.cancelTimer(pending);
          }
        });
    deps.limits().onConnection(connection, address);
  }

  private void onRequest(io.vertx.core.http.HttpServerRequest request, Router router) {
    Long pending = awaitingFirstRequest.remove(request.connection());
    if (pending != null) {
      vertx.cancelTimer(pending);
    }
    if (!Requests.wellEscaped(request.uri())) {
      // The router would answer a text/plain "Bad Request" and log the decoder's stack trace.
      Problems.send(
          request,
          400,
          "validation",
          "Request is not valid",
          "the request target has a broken percent escape (% must be followed by two hex digits)");
      return;
    }
    router.handle(request);
  }
}
