package io.greenpledge;

import io.greenpledge.alerts.AlertRepository;
import io.greenpledge.alerts.event.Alert;
import io.greenpledge.api.HttpVerticle;
import io.greenpledge.auth.Authentication;
import io.greenpledge.auth.LocalKeys;
import io.greenpledge.book.DemoBook;
import io.greenpledge.book.PledgeRepository;
import io.greenpledge.book.ValuationRepository;
import io.greenpledge.config.Settings;
import io.greenpledge.engine.Bus;
import io.greenpledge.engine.market.MarketVerticle;
import io.greenpledge.engine.market.QuoteBoard;
import io.greenpledge.engine.risk.RiskVerticle;
import io.greenpledge.engine.risk.ValuationBoard;
import io.greenpledge.feed.Ingest;
import io.greenpledge.feed.ReplayVerticle;
import io.greenpledge.feed.Simulator;
import io.greenpledge.feed.SimulatorVerticle;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.Market;
import io.greenpledge.market.Quote;
import io.greenpledge.market.Tick;
import io.greenpledge.market.TickValidator;
import io.greenpledge.market.TradingCalendar;
import io.greenpledge.ops.Metrics;
import io.greenpledge.ops.RateLimiter;
import io.greenpledge.ops.Readiness;
import io.greenpledge.push.PushEndpoints;
import io.greenpledge.store.Database;
import io.greenpledge.store.HistoryRepository;
import io.greenpledge.store.MarketRepository;
import io.greenpledge.store.Migrations;
import io.greenpledge.store.TickJournal;
import io.greenpledge.valuation.Pledge;
import io.greenpledge.valuation.PledgeBook;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles and runs the gateway: database, market, feeds, HTTP. {@link #start} and {@link #stop}
 * block the calling thread (never an event loop) until the gateway is serving or fully stopped.
 */
public final class Gateway implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  /** Trading days of simulated history a fresh demo journal is seeded with. */
  static final int DEMO_HISTORY_DAYS = 60;

  private static final long START_TIMEOUT_SECONDS = 120;

  private final Settings settings;
  private final Database database;
  private final Vertx vertx;
  private final Pool pool;
  private final Deque<String> deployments = new ArrayDeque<>();
  private final QuoteBoard board = new QuoteBoard();
  private final Instruments catalog = Instruments.seed();
  private final PledgeBook book = new PledgeBook(catalog);
  private final ValuationBoard valuations = new ValuationBoard(book);
  private final Clock clock = Clock.systemUTC();
  private final Metrics metrics;
  private final String nodeId = java.util.UUID.randomUUID().toString();
  private final java.util.concurrent.atomic.AtomicInteger databaseUp =
      new java.util.concurrent.atomic.AtomicInteger();
  private Authentication authentication;
  private io.vertx.core.http.HttpServer management;
  private MarketVerticle marketVerticle;
  private final List<HttpVerticle> http = new java.util.ArrayList<>();

  private Gateway(Settings settings, Database database, Metrics metrics, Vertx vertx) {
    this.settings = settings;
    this.database = database;
    this.metrics = metrics;
    this.vertx = vertx;
    Bus.registerCodecs(vertx);
    this.pool =
        PgBuilder.pool()
            // Fail fast while the database is away, so queued writes retry soon after it is back.
            .with(
                new PoolOptions()
                    .setMaxSize(settings.store().poolSize())
                    .setConnectionTimeout(5)
                    .setConnectionTimeoutUnit(TimeUnit.SECONDS))
            .connectingTo(database.connectOptions())
            .using(vertx)
            .build();
  }

  /** Starts everything and returns once the HTTP server listens. */
  public static Gateway start(Settings settings) throws Exception {
    long started = System.nanoTime();
    checkPortIsFree(settings);
    Database database = Database.start(settings);
    Metrics metrics = new Metrics();
    io.vertx.core.transport.Transport transport =
        SocketTransport.choose(settings.http().transport());
    Vertx vertx;
    try {
      vertx = buildVertx(settings, metrics, transport);
    } catch (Exception e) {
      database.close();
      throw e;
    }
    Gateway gateway = new Gateway(settings, database, metrics, vertx);
    try {
      Migrations migrations = Migrations.load();
      LocalKeys keys =
          settings.jwt().usesLocalKey() ? LocalKeys.loadOrCreate(settings.store().dataDir()) : null;
      gateway
          .run(migrations, keys)
          .toCompletionStage()
          .toCompletableFuture()
          .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      gateway.close();
      throw e;
    }
    LOG.info(
        "gateway ready on port {} in {} ms ({} transport)",
        gateway.httpPort(),
        (System.nanoTime() - started) / 1_000_000,
        SocketTransport.name(transport));
    return gateway;
  }

  /**
   * A port in use is found before anything is started or seeded, and named: otherwise the database
   * starts, demo books are written and the simulator runs before the listen fails.
   */
  private static void checkPortIsFree(Settings settings) {
    if (settings.http().port() == 0) {
      return;
    }
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new java.net.InetSocketAddress(settings.http().host(), settings.http().port()));
    } catch (java.io.IOException e) {
      throw new io.greenpledge.config.SettingsException(
          "GP_HTTP_PORT",
          "cannot listen on "
              + settings.http().host()
              + ":"
              + settings.http().port()
              + " ("
              + e.getMessage()
              + "); another process holds the port, or choose another");
    }
  }

  /** Vert.x's own metrics, with the HTTP route as a label (latency by route). */
  private static MicrometerMetricsOptions vertxMetrics() {
    // HTTP series by route pattern (bounded: the contract's operations), for latency by route
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .addLabels(io.vertx.micrometer.Label.HTTP_ROUTE);
  }

  /** Plain, or clustered over Hazelcast when GP_CLUSTER is on (joining takes a few seconds). */
  private static Vertx buildVertx(
      Settings settings, Metrics metrics, io.vertx.core.transport.Transport transport)
      throws Exception {
    VertxOptions options = new VertxOptions().setMetricsOptions(vertxMetrics());
    Settings.Cluster cluster = settings.cluster();
    if (cluster.enabled()) {
      options
          .getEventBusOptions()
          .setHost(cluster.host())
          .setPort(0)
          .setClusterPublicHost(cluster.host());
    }
    io.vertx.core.VertxBuilder builder =
        Vertx.builder()
            .with(options)
            .withMetrics(new io.greenpledge.ops.GuardedMetricsFactory(metrics.registry()))
            .withTransport(transport);
    if (!cluster.enabled()) {
      return builder.build();
    }
    return builder
        .withClusterManager(io.greenpledge.ops.ClusterConfig.manager(cluster))
        .buildClustered()
        .toCompletionStage()
        .toCompletableFuture()
        .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private Future<Void> run(Migrations migrations, LocalKeys keys) {
    MarketRepository repository = new MarketRepository(pool);
    Future<Authentication> auth =
        keys != null
            ? Future.succeededFuture(Authentication.local(vertx, settings.jwt(), keys))
            : Authentication.external(vertx, settings.jwt());
    return auth.onSuccess(a -> authentication = a)
        .compose(a -> migrations.apply(pool))
        .compose(v -> repository.upsertCatalog(catalog))
        .compose(v -> loadMarket(repository))
        .compose(snapshot -> startMarket(snapshot, repository))
        .mapEmpty();
  }

  private Future<MarketRepository.Snapshot> loadMarket(MarketRepository repository) {
    LocalDate today = calendar().tradingDay(clock.instant());
    LocalDate since =
        calendar().tradingDaysBack(today, io.greenpledge.market.InstrumentMarket.HISTORY_DAYS);
    return repository
        .loadSnapshot(catalog.ids(), since)
        .compose(
            snapshot -> {
              if (!settings.runs(Settings.Feed.SIMULATOR)
                  || catalog.ids().stream().allMatch(snapshot::hasHistory)) {
                return Future.succeededFuture(snapshot);
              }
              List<Tick> history =
                  Simulator.history(
                          catalog,
                          calendar(),
                          settings.feeds().simulatorSeed(),
                          today,
                          DEMO_HISTORY_DAYS)
                      .stream()
                      .filter(t -> !snapshot.hasHistory(t.instrument()))
                      .toList();
              LOG.info(
                  "fresh journal: seeding {} days of simulated history ({} daily closes)",
                  DEMO_HISTORY_DAYS,
                  history.size());
              return repository
                  .journal(history)
                  .compose(v -> repository.loadSnapshot(catalog.ids(), since));
            });
  }

  private Future<Void> startMarket(
      MarketRepository.Snapshot snapshot, MarketRepository repository) {
    Market market = restoredMarket(snapshot);
    HistoryRepository imports = new HistoryRepository(pool);
    marketVerticle =
        new MarketVerticle(
            market,
            board,
            new TickJournal(pool, metrics),
            imports,
            calendar(),
            settings.store().journalMaxBatch(),
            settings.store().journalWriters(),
            clock,
            metrics,
            nodeId,
            settings.cluster().enabled());
    registerGauges(repository);
    Readiness readiness =
        new Readiness().add("database", repository::ping).add("journal", this::journalHealthy);
    PledgeRepository pledges = new PledgeRepository(pool);
    ValuationRepository history = new ValuationRepository(pool);
    AlertRepository alerts = new AlertRepository(pool);
    Settings.RateLimits limits = settings.rateLimits();
    Ingest ingest =
        new Ingest(vertx, new RateLimiter(limits.ticksPerSecond(), limits.ticksPerSecond() * 2));
    io.greenpledge.push.DeskRegistry desks = new io.greenpledge.push.DeskRegistry();
    HttpVerticle.Dependencies httpDeps =
        new HttpVerticle.Dependencies(
            settings,
            authentication,
            catalog,
            board,
            valuations,
            repository,
            pledges,
            history,
            alerts,
            readiness,
            liveness(),
            new io.greenpledge.api.ConnectionLimits(
                settings.rateLimits().connectionsPerAddress(),
                settings.rateLimits().unauthenticatedSocketsPerAddress(),
                metrics),
            new io.greenpledge.ops.OneAtATime(),
            metrics,
            ingest,
            imports,
            new io.greenpledge.store.AuditLog(pool),
            new PushEndpoints.Factory(
                catalog,
                board,
                valuations,
                alerts,
                settings.push(),
                authentication,
                ingest,
                metrics,
                new io.greenpledge.book.MarginCallRepository(pool),
                new io.greenpledge.book.ChangeRequestRepository(pool),
                desks));
    watchRevokedDisplays(new io.greenpledge.book.DisplayRepository(pool), desks);
    return deploy(marketVerticle)
        .compose(v -> seedDemoBook(pledges))
        .compose(v -> pledges.active())
        .compose(
            stored ->
                deploy(
                    new RiskVerticle(
                        new RiskVerticle.Dependencies(
                            catalog,
                            board,
                            book,
                            pledges,
                            alerts,
                            history,
                            stored,
                            settings.store().valuationSnapshot(),
                            clock,
                            metrics,
                            nodeId,
                            settings.cluster().enabled(),
                            new RiskVerticle.Calls(
                                new io.greenpledge.book.MarginCallRepository(pool),
                                calendar(),
                                callDueDays()),
                            bankLimits()))))
        .compose(v -> startFeeds(snapshot, market))
        .compose(v -> startHttp(httpDeps))
        .compose(
            v ->
                io.greenpledge.api.ManagementServer.start(
                    vertx, settings.http(), metrics, httpDeps.readiness(), httpDeps.liveness()))
        .map(
            server -> {
              management = server;
              return null;
            });
  }

  /** The management port (metrics, health), once started. */
  public int managementPort() {
    return management.actualPort();
  }

  /** How often every node reads which wall screens were revoked (on any node). */
  static final long REVOKED_DISPLAYS_MILLIS = 10_000;

  /**
   * Revoked wall screens: their tokens are refused from the next read on, and their open desk
   * sockets closed (4401). The node that revokes one applies it at once; the others within {@link
   * #REVOKED_DISPLAYS_MILLIS}.
   */
  private void watchRevokedDisplays(
      io.greenpledge.book.DisplayRepository displays, io.greenpledge.push.DeskRegistry desks) {
    // only those revoked since the last read: closing means a look through this node's desks
    java.util.Set<String> known = new java.util.HashSet<>();
    Runnable read =
        () ->
            displays
                .revokedIds()
                .onSuccess(
                    ids -> {
                      authentication.revokedDisplays(ids);
                      for (String id : ids) {
                        if (known.add(id)) {
                          desks.close(Authentication.DISPLAY + id, "the display was revoked");
                        }
                      }
                    });
    read.run();
    vertx.setPeriodic(REVOKED_DISPLAYS_MILLIS, id -> read.run());
  }

  /**
   * One HTTP verticle per event loop (GP_HTTP_INSTANCES, default the core count), all on one port,
   * sharing the server's connections. Port 0 becomes -1: Vert.x's random port shared by the
   * instances.
   */
  private Future<Void> startHttp(HttpVerticle.Dependencies httpDeps) {
    // Uploads a crash interrupted are of no use: their import never ran (it starts once stored).
    String uploads = settings.store().dataDir().resolve("uploads").toString();
    return vertx
        .fileSystem()
        .exists(uploads)
        .compose(
            there -> there ? vertx.fileSystem().deleteRecursive(uploads) : Future.succeededFuture())
        .compose(v -> deployHttp(httpDeps));
  }

  private Future<Void> deployHttp(HttpVerticle.Dependencies httpDeps) {
    Settings.RateLimits limits = settings.rateLimits();
    io.greenpledge.ops.RateLimiter requests =
        new io.greenpledge.ops.RateLimiter(
            limits.requestsPerSecond(), limits.requestsPerSecond() * 2);
    io.greenpledge.ops.RateLimiter failedAuthentications =
        new io.greenpledge.ops.RateLimiter(
            limits.authFailuresPerSecond(), limits.authFailuresPerSecond() * 2);
    int port = settings.http().port() == 0 ? -1 : settings.http().port();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < settings.http().instances(); i++) {
      HttpVerticle instance = new HttpVerticle(httpDeps, port, requests, failedAuthentications);
      http.add(instance);
      chain = chain.compose(v -> deploy(instance));
    }
    return chain;
  }

  /** Market and journal gauges read live values; the database is pinged every few seconds. */
  private void registerGauges(MarketRepository repository) {
    metrics.preRegister(
        catalog.ids(),
        java.util.Arrays.stream(io.greenpledge.market.RejectReason.values())
            .map(Enum::name)
            .toList(),
        java.util.Arrays.stream(Alert.Kind.values()).map(Enum::name).toList());
    for (String id : catalog.ids()) {
      Tags tags = Tags.of("instrument", id);
      metrics.gauge(
          Metrics.MARK_PRICE, tags, () -> board.get(id).map(q -> q.mark()).orElse(Double.NaN));
      metrics.gauge(
          Metrics.INSTRUMENT_STALE,
          tags,
          () -> board.get(id).map(q -> q.stale() ? 1 : 0).orElse(1));
      metrics.gauge(
          Metrics.FEED_AGE,
          tags,
          () ->
              board
                  .get(id)
                  .filter(q -> q.lastTickAt() != null)
                  .map(q -> (clock.millis() - q.lastTickAt().toEpochMilli()) / 1000.0)
                  .orElse(Double.NaN));
    }
    metrics.gauge(Metrics.JOURNAL_LAG, Tags.empty(), () -> marketVerticle.lagMillis() / 1000.0);
    metrics.gauge(Metrics.JOURNAL_QUEUED, Tags.empty(), marketVerticle::queued);
    metrics.gauge(Metrics.DATABASE_RESTARTS, Tags.empty(), database::restarts);
    metrics.gauge(Metrics.DATABASE_UP, Tags.empty(), databaseUp::get);
    vertx.setPeriodic(
        0, 5000, id -> repository.ping().onComplete(r -> databaseUp.set(r.succeeded() ? 1 : 0)));
  }

  /** Demo mode on an empty book: the two demo banks, valued at today's marks. */
  private Future<Void> seedDemoBook(PledgeRepository pledges) {
    if (!settings.demo()) {
      return Future.succeededFuture();
    }
    return pledges
        .count()
        .compose(
            count -> {
              if (count > 0) {
                return Future.succeededFuture();
              }
              Map<String, Quote> quotes = new HashMap<>();
              board.all().forEach(q -> quotes.put(q.instrument(), q));
              List<Pledge> demo =
                  DemoBook.generate(
                      catalog, quotes, settings.feeds().simulatorSeed(), clock.instant());
              LOG.info("demo mode: seeding {} pledges for banks {}", demo.size(), DemoBook.BANKS);
              return pledges.insertAll(demo);
            });
  }

  private Market restoredMarket(MarketRepository.Snapshot snapshot) {
    TradingCalendar calendar = calendar();
    Market market =
        new Market(
            catalog,
            calendar,
            new TickValidator(settings.market().maxFutureSkew(), calendar),
            settings.market().markBasis());
    for (String id : catalog.ids()) {
      market
          .instrument(id)
          .orElseThrow()
          .restore(snapshot.bars().getOrDefault(id, List.of()), snapshot.lastTicks().get(id));
    }
    snapshot
        .storedSeqsBySource()
        .forEach((source, seqs) -> seqs.forEach(seq -> market.restoreSequence(source, seq)));
    return market;
  }

  private Future<Void> startFeeds(MarketRepository.Snapshot snapshot, Market market) {
    Future<Void> feeds = Future.succeededFuture();
    if (settings.runs(Settings.Feed.SIMULATOR)) {
      LocalDate today = calendar().tradingDay(clock.instant());
      Map<String, Simulator.Start> starts = new HashMap<>();
      for (String id : catalog.ids()) {
        Tick last = snapshot.lastTicks().get(id);
        double previousClose = market.instrument(id).orElseThrow().previousClose(today);
        starts.put(
            id, new Simulator.Start(last == null ? previousClose : last.price(), previousClose));
      }
      Simulator simulator =
          new Simulator(
              catalog,
              calendar(),
              settings.feeds().simulatorSeed(),
              starts,
              market.lastSeq(Simulator.SOURCE).orElse(0L));
      if (settings.cluster().enabled()) {
        // One simulator per cluster: the node holding the
        // lock runs it; another takes over if it leaves.
        runSimulatorUnderLock(simulator);
      } else {
        feeds = feeds.compose(v -> deploy(new SimulatorVerticle(simulator, clock)));
      }
    }
    if (settings.runs(Settings.Feed.REPLAY) && settings.feeds().replayKeepsTimestamps()) {
      feeds = feeds.compose(v -> backfill(settings.feeds().replayFile().orElseThrow()));
    } else if (settings.runs(Settings.Feed.REPLAY)) {
      ReplayVerticle replay =
          new ReplayVerticle(
              settings.feeds().replayFile().orElseThrow(),
              settings.feeds().replaySpeed(),
              market.lastSeq(ReplayVerticle.SOURCE).orElse(0L),
              clock);
      feeds = feeds.compose(v -> deploy(replay));
    }
    return feeds;
  }

  /**
   * {@code GP_REPLAY_TIMESTAMPS=file}: the replay file's trades are journaled with their own times,
   * as a trades import (once: the same file again changes nothing), and the market re-reads them.
   */
  private Future<Void> backfill(java.nio.file.Path file) {
    io.greenpledge.feed.history.HistoryImport importer =
        new io.greenpledge.feed.history.HistoryImport(
            catalog, TradingCalendar.exchange(), new HistoryRepository(pool), clock);
    return vertx
        .executeBlocking(
            () -> {
              io.greenpledge.feed.history.HistoryFile.Parsed parsed =
                  new io.greenpledge.feed.history.HistoryFile(catalog, java.util.Optional.empty())
                      .read(file, bytes -> {});
              return java.util.Map.entry(
                  parsed, io.greenpledge.feed.history.HistoryFile.sha256(file));
            },
            false)
        .compose(
            read ->
                importer.load(
                    read.getKey(),
                    read.getValue(),
                    false,
                    io.greenpledge.store.AuditLog.Actor.system("replay-backfill")))
        .map(
            report -> {
              LOG.info("replay backfill: {}", report.text().strip());
              io.greenpledge.engine.Bus.HISTORY.publish(
                  vertx, new io.greenpledge.engine.HistoryChanged(catalog.ids()));
              return null;
            });
  }

  private void runSimulatorUnderLock(Simulator simulator) {
    vertx
        .sharedData()
        .getLockWithTimeout("greenpledge.simulator", 10_000)
        .onSuccess(
            lock -> {
              LOG.info("this node runs the cluster's simulator");
              deploy(new SimulatorVerticle(simulator, clock));
            })
        .onFailure(e -> vertx.setTimer(1000, id -> runSimulatorUnderLock(simulator)));
  }

  private Readiness liveness() {
    return new Readiness()
        .add(
            "database-process",
            () ->
                database.healthy()
                    ? Future.succeededFuture()
                    : Future.failedFuture(
                        "the embedded PostgreSQL died and could not be restarted; restart the gateway"));
  }

  private Future<Void> journalHealthy() {
    long lag = marketVerticle.lagMillis();
    return lag > 5000
        ? Future.failedFuture(
            "journal lags " + lag + " ms behind (" + marketVerticle.queued() + " ticks queued)")
        : Future.succeededFuture();
  }

  private Future<Void> deploy(io.vertx.core.Deployable verticle) {
    return vertx.deployVerticle(verticle).onSuccess(deployments::push).mapEmpty();
  }

  private TradingCalendar calendar() {
    return TradingCalendar.of(settings.market().tradingHours());
  }

  /** Every bank's limits as the risk engine applies them (floors, concentration add-ons). */
  private java.util.function.Supplier<Future<Map<String, io.greenpledge.limits.Limits>>>
      bankLimits() {
    io.greenpledge.book.LimitsRepository limits = new io.greenpledge.book.LimitsRepository(pool);
    java.util.Set<String> known = java.util.Set.copyOf(catalog.ids());
    return () ->
        limits
            .all()
            .map(
                all -> {
                  Map<String, io.greenpledge.limits.Limits> byBank = new java.util.HashMap<>();
                  all.forEach(
                      s ->
                          byBank.put(
                              s.bank(), io.greenpledge.wire.LimitsJson.parse(s.limits(), known)));
                  return byBank;
                });
  }

  /** A bank's days to meet a margin call: its own policy, else GP_CALL_DUE_DAYS. */
  private java.util.function.Function<String, Future<Integer>> callDueDays() {
    io.greenpledge.book.PolicyRepository policies = new io.greenpledge.book.PolicyRepository(pool);
    int fallback = settings.market().callDueDays();
    return bank ->
        policies
            .find(bank)
            .map(
                p ->
                    p.flatMap(io.greenpledge.book.PolicyRepository.Policy::callDueDays)
                        .orElse(fallback));
  }

  /** Records writes done outside a request (tokens minted at start) in the audit trail. */
  public Future<Void> audit(
      io.greenpledge.store.AuditLog.Actor actor, List<io.greenpledge.store.AuditLog.Draft> drafts) {
    return pool.withTransaction(
        connection -> {
          Future<Void> chain = Future.succeededFuture();
          for (io.greenpledge.store.AuditLog.Draft draft : drafts) {
            chain =
                chain.compose(
                    v -> io.greenpledge.store.AuditLog.append(connection, actor, draft).mapEmpty());
          }
          return chain;
        });
  }

  public int httpPort() {
    return http.get(0).actualPort();
  }

  /** Desk sockets open on this node, over every HTTP verticle instance. */
  public int pushSessions() {
    return http.stream().mapToInt(h -> h.push().desks()).sum();
  }

  /** Desk sockets closed as slow consumers on this node. */
  public long pushSlowConsumersClosed() {
    return http.stream().mapToLong(h -> h.push().slowConsumersClosed()).sum();
  }

  public Authentication authentication() {
    return authentication;
  }

  public Settings settings() {
    return settings;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Stops in reverse order: HTTP first, feeds, then the market, which flushes the journal. */
  @Override
  public void close() {
    try {
      Future<Void> chain = Future.succeededFuture();
      while (!deployments.isEmpty()) {
        String id = deployments.pop();
        chain = chain.compose(v -> vertx.undeploy(id));
      }
      chain
          .eventually(() -> pool.close())
          .eventually(() -> vertx.close())
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("gateway did not stop cleanly: {}", e.toString());
    } finally {
      database.close();
      LOG.info("gateway stopped");
    }
  }
}
