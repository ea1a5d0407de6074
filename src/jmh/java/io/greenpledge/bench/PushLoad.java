package io.greenpledge.bench;

import io.greenpledge.Gateway;
import io.greenpledge.config.SettingsLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Push load tool: the same tick stream (R ticks/s over every instrument for S seconds) to N
 * WebSocket clients, first through a bare Vert.x broadcaster (one frame per tick per client,
 * encoded once), then through the gateway (ingest → market → conflated desk frames). Prints
 * tick→client latency p50/p99/p999 (after {@code --warmup} seconds, 15 by default: the age of what
 * a frame delivers, the design's measure), how far the desks lag behind the source (the age of the
 * oldest tick each update is the first to show: with conflation, at least the window), frames/s and
 * price updates delivered per second for both, and checks that every gateway client ends with the
 * last price of every instrument.
 *
 * <pre>
 * mvn -B -Pbench test-compile exec:exec -Dbench.main=io.greenpledge.bench.PushLoad -Dbench="--clients 1000 --rate 2000 --seconds 20"
 * </pre>
 *
 * <p>{@code --set NAME=VALUE[,NAME=VALUE]} sets the gateway's settings (e.g. {@code
 * GP_WS_WINDOW=25ms}); {@code --java PATH} runs the gateway on another JDK; {@code --gateway-cpus
 * LIST} runs it (and the PostgreSQL it starts) on those CPUs only ({@code taskset -c LIST}: with
 * this tool run under {@code taskset -c} on the others, the reader is off the gateway's cores, as
 * on a second machine, though loopback still charges the reader's TCP receive to the writer's CPU).
 * {@code --profile FILE} profiles the gateway process (see {@link Profiling}); {@code --jvm
 * OPTION[,OPTION]} passes options to its JVM. {@code --gateway process} (the default) runs the
 * gateway in its own JVM, as in production, so the clients' JSON parsing does not share its heap
 * and threads; {@code --gateway inline} runs it in this one. {@code --nodes 2} runs two gateway
 * processes joined as a cluster (the tests' embedded PostgreSQL, Hazelcast on loopback): the feed
 * goes to the first, the desks are dealt to both. {@code --restart true} measures a restart: the
 * gateway is started once to initialise its data directory and stopped, then started again on it
 * (for the cold start); with {@code --warm-client S} the load runs S seconds against the first
 * start, so that the measured start meets a warm client. {@code --client-transport native|nio}: the
 * load client's and the bare broadcaster's sockets on Netty's epoll transport (the default:
 * Vert.x's own choice; the gateway's default is io_uring where the kernel allows it) or on Java
 * NIO.
 */
public final class PushLoad {

  /** {@code --client-transport}: this process's sockets on the native transport, or on NIO. */
  private static boolean clientNative = true;

  /** This process's Vert.x instances: {@code n} event loops on the chosen transport. */
  private static VertxOptions loops(int n) {
    return new VertxOptions().setEventLoopPoolSize(n).setPreferNativeTransport(clientNative);
  }

  private static final List<String> INSTRUMENTS =
      List.of("CEA", "CCER", "CQEA", "CQCER", "CQ-SO2", "CQ-NOX", "CQ-COD", "CQ-NH3N", "CQ-EUR");
  private static final Map<String, Double> REFERENCE =
      Map.of(
          "CEA", 72.0, "CCER", 85.0, "CQEA", 30.0, "CQCER", 25.0, "CQ-SO2", 6100.0, "CQ-NOX",
          6800.0, "CQ-COD", 9000.0, "CQ-NH3N", 11000.0, "CQ-EUR", 120.0);

  /** What the clients of one run saw. */
  static final class Stats {
    final AtomicLongArray latencyMs = new AtomicLongArray(60_001);

    /**
     * Per item that moves an instrument's price forward: how long the client's price lagged the
     * source (see {@link PushLoad#onFrame}).
     */
    final AtomicLongArray lagMs = new AtomicLongArray(60_001);

    /** When the feed sent a tick of each instrument, for {@link #lagMs}. */
    final TickTimes ticks = new TickTimes();

    final AtomicLong frames = new AtomicLong();
    final AtomicLong updates = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final Map<Integer, Held> lastPrice = new ConcurrentHashMap<>();
    final AtomicLong ticksSent = new AtomicLong();

    /**
     * Per second of the measured run: updates, and updates later than 100 ms (where the tail sits).
     */
    final AtomicLongArray perSecond = new AtomicLongArray(600);

    final AtomicLongArray latePerSecond = new AtomicLongArray(600);

    final AtomicLongArray over50PerSecond = new AtomicLongArray(600);
    volatile long startedAt = System.currentTimeMillis();
    int consistentClients;

    /** Forgets what the warm-up delivered; the measured run starts from zero. */
    void reset() {
      for (int i = 0; i < latencyMs.length(); i++) {
        latencyMs.set(i, 0);
        lagMs.set(i, 0);
      }
      frames.set(0);
      updates.set(0);
      bytes.set(0);
      for (int i = 0; i < perSecond.length(); i++) {
        perSecond.set(i, 0);
        latePerSecond.set(i, 0);
        over50PerSecond.set(i, 0);
      }
      startedAt = System.currentTimeMillis();
    }

    void record(long latency, long now) {
      latencyMs.incrementAndGet(bucket(latency));
      int second = (int) Math.max(0, Math.min(perSecond.length() - 1, (now - startedAt) / 1000));
      perSecond.incrementAndGet(second);
      if (latency > 100) {
        latePerSecond.incrementAndGet(second);
      }
      if (latency > 50) {
        over50PerSecond.incrementAndGet(second);
      }
    }

    void recordLag(long lag) {
      lagMs.incrementAndGet(bucket(lag));
    }

    /** A histogram's bucket: milliseconds, within the minute it holds. */
    private static int bucket(long millis) {
      return (int) Math.max(0, Math.min(60_000, millis));
    }

    /** "% later than 50 ms" (the 1,000-desk target's line) for each second of the run. */
    String timeline50(int seconds) {
      return shares(over50PerSecond, seconds);
    }

    /** "% later than 100 ms" for each second of the run, to show when the tail happened. */
    String timeline(int seconds) {
      return shares(latePerSecond, seconds);
    }

    /** Updates received in each second, in thousands, laid out as {@link #shares}. */
    String counts(int seconds) {
      AtomicLongArray none = new AtomicLongArray(perSecond.length());
      StringBuilder line = new StringBuilder();
      String[] shares = shares(none, seconds).trim().split(" ");
      int second = 0;
      for (String column : shares) {
        if (column.equals("|")) {
          line.append(" |");
          continue;
        }
        line.append(String.format(" %.0f", perSecond.get(second++) / 1000.0));
      }
      return line.toString();
    }

    /**
     * One share per second of the run, then " |" and the seconds after it that still delivered
     * updates (late ones, counted in the percentiles too).
     */
    private String shares(AtomicLongArray late, int seconds) {
      StringBuilder line = new StringBuilder();
      int last = seconds - 1;
      for (int i = seconds; i < perSecond.length(); i++) {
        if (perSecond.get(i) > 0) {
          last = i;
        }
      }
      for (int i = 0; i <= last; i++) {
        if (i == seconds) {
          line.append(" |");
        }
        long all = perSecond.get(i);
        line.append(String.format(" %.0f", all == 0 ? 0.0 : 100.0 * late.get(i) / all));
      }
      return line.toString();
    }

    long percentile(double p) {
      return percentile(latencyMs, p);
    }

    long lagPercentile(double p) {
      return percentile(lagMs, p);
    }

    private static long percentile(AtomicLongArray histogram, double p) {
      long total = 0;
      for (int i = 0; i < histogram.length(); i++) {
        total += histogram.get(i);
      }
      long rank = (long) Math.ceil(total * p);
      long seen = 0;
      for (int i = 0; i < histogram.length(); i++) {
        seen += histogram.get(i);
        if (seen >= rank && rank > 0) {
          return i;
        }
      }
      return -1;
    }
  }

  /**
   * When the feed sent a tick of each instrument (its {@code ms}, once per batch that had one), in
   * order: written by the feed's thread before the batch is sent, read by the clients' threads.
   */
  static final class TickTimes {
    /** Ten minutes of 10 ms batches per instrument. */
    private static final int CAPACITY = 60_000;

    private final long[][] times = new long[INSTRUMENTS.size()][CAPACITY];
    private final java.util.concurrent.atomic.AtomicIntegerArray counts =
        new java.util.concurrent.atomic.AtomicIntegerArray(INSTRUMENTS.size());

    void sent(int instrument, long ms) {
      int count = counts.get(instrument);
      if (count < CAPACITY && (count == 0 || times[instrument][count - 1] < ms)) {
        times[instrument][count] = ms;
        counts.set(instrument, count + 1);
      }
    }

    /** The time of the instrument's first tick after {@code ms}, or -1 if none was sent. */
    long firstAfter(int instrument, long ms) {
      long[] sent = times[instrument];
      int low = 0;
      int high = counts.get(instrument);
      while (low < high) {
        int middle = (low + high) >>> 1;
        if (sent[middle] <= ms) {
          low = middle + 1;
        } else {
          high = middle;
        }
      }
      return low < counts.get(instrument) ? sent[low] : -1;
    }
  }

  private PushLoad() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    int clients = Integer.parseInt(options.getOrDefault("clients", "1000"));
    int rate = Integer.parseInt(options.getOrDefault("rate", "2000"));
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
    boolean separate = !"inline".equals(options.getOrDefault("gateway", "process"));
    String profile = options.get("profile");
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "15"));
    SUBSCRIBE = new JsonObject(options.getOrDefault("options", "{}"));
    if (options.containsKey("java")) {
      System.setProperty("bench.java", options.get("java")); // the gateway's JDK
    }
    if (options.containsKey("gateway-cpus")) {
      System.setProperty("bench.gateway.cpus", options.get("gateway-cpus")); // taskset -c LIST
    }
    GATEWAY_SETTINGS.putAll(settings(options));
    System.out.printf(
        "push load: %d clients, %d ticks/s, %d s measured after %d s warm-up per run, %d cores%n",
        clients, rate, seconds, warmup, Runtime.getRuntime().availableProcessors());
    int clientLoops = Integer.parseInt(options.getOrDefault("client-loops", "1"));
    clientNative = !options.getOrDefault("client-transport", "native").equals("nio");
    Vertx clientVertx = Vertx.vertx(loops(clientLoops));
    System.out.printf(
        "load client transport: %s%n", clientVertx.isNativeTransportEnabled() ? "native" : "NIO");
    try {
      // --bare false skips the broadcaster: both its ends live in this process, so 10,000 clients
      // would need 20,000 descriptors here.
      Stats bare =
          Boolean.parseBoolean(options.getOrDefault("bare", "true"))
              ? runBare(clientVertx, clients, rate, warmup, seconds)
              : null;
      Stats node =
          Boolean.parseBoolean(options.getOrDefault("node", "false"))
              ? runNode(clientVertx, clients, rate, warmup, seconds)
              : null;
      Stats gateway =
          separate
              ? runGatewayProcess(
                  clientVertx,
                  clients,
                  rate,
                  warmup,
                  seconds,
                  profile,
                  options.get("jvm"),
                  Integer.parseInt(options.getOrDefault("nodes", "1")),
                  Boolean.parseBoolean(options.getOrDefault("restart", "false")),
                  Integer.parseInt(options.getOrDefault("warm-client", "0")))
              : runGateway(clientVertx, clients, rate, warmup, seconds);
      if (node != null) {
        print("node ws", node, seconds);
      }
      if (bare == null) {
        print("gateway", gateway, seconds);
        return;
      }
      print("bare broadcaster", bare, seconds);
      print("gateway", gateway, seconds);
      // A conflated frame carries the latest state of every key that moved in its window, so a
      // client holding the source's final state has received the effect of every tick: tick updates
      // delivered = ticks × consistent clients. The bare broadcaster delivers one tick per frame.
      double gatewayTickUpdates =
          gateway.ticksSent.get() * (double) gateway.consistentClients / seconds;
      double bareTickUpdates = bare.frames.get() / (double) seconds;
      System.out.printf(
          "tick updates delivered/s: gateway %.0f (%d ticks × %d consistent clients / %d s), bare %.0f%n",
          gatewayTickUpdates,
          gateway.ticksSent.get(),
          gateway.consistentClients,
          seconds,
          bareTickUpdates);
      System.out.printf(
          "ratio gateway ÷ bare = %.2f (target ≥ 2)%n", gatewayTickUpdates / bareTickUpdates);
    } finally {
      clientVertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static void print(String name, Stats stats, int seconds) {
    System.out.printf(
        "%-17s p50 %5d ms  p99 %5d ms  p999 %5d ms  frames/s %9.0f  price updates/s %9.0f%n",
        name,
        stats.percentile(0.5),
        stats.percentile(0.99),
        stats.percentile(0.999),
        stats.frames.get() / (double) seconds,
        stats.updates.get() / (double) seconds);
    System.out.printf(
        "%-17s lag behind the source (the oldest tick each update is the first to show): p50 %d ms"
            + "  p99 %d ms  p999 %d ms%n",
        "", stats.lagPercentile(0.5), stats.lagPercentile(0.99), stats.lagPercentile(0.999));
    if (stats.updates.get() > 0) {
      System.out.printf(
          "%-17s bytes/update %.0f  bytes/frame %.0f  MB/s to all desks %.1f%n",
          "",
          stats.bytes.get() / (double) stats.updates.get(),
          stats.bytes.get() / (double) Math.max(1, stats.frames.get()),
          stats.bytes.get() / (double) seconds / 1e6);
    }
    System.out.printf(
        "%-17s %% of updates later than 100 ms, second by second:%s%n",
        "", stats.timeline(seconds));
    System.out.printf(
        "%-17s %% of updates later than  50 ms, second by second:%s%n",
        "", stats.timeline50(seconds));
    System.out.printf(
        "%-17s updates received (thousands), second by second:%s%n", "", stats.counts(seconds));
  }

  /** One frame per tick per client: what a naive broadcaster does. */
  private static Stats runBare(Vertx clientVertx, int clients, int rate, int warmup, int seconds)
      throws Exception {
    Vertx vertx = Vertx.vertx(loops(1));
    Set<ServerWebSocket> sockets = ConcurrentHashMap.newKeySet();
    HttpServer server =
        vertx
            .createHttpServer()
            .webSocketHandler(
                ws -> {
                  sockets.add(ws);
                  ws.closeHandler(v -> sockets.remove(ws));
                })
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    Stats stats = new Stats();
    WebSocketClient desks =
        connect(clientVertx, new int[] {server.actualPort()}, "/", clients, stats, null);
    SplittableRandom random = new SplittableRandom(1);
    Map<String, Double> prices = new HashMap<>(REFERENCE);
    drive(
        vertx,
        rate,
        warmup,
        seconds,
        stats::reset,
        (batch) -> {
          for (JsonObject tick : batch) {
            String frame =
                new JsonObject()
                    .put("type", "update")
                    .put(
                        "items",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("channel", "prices:" + tick.getString("instrument"))
                                    .put("ts", tick.getLong("ms"))
                                    .put(
                                        "data",
                                        new JsonObject()
                                            .put("lastTrade", tick.getDouble("price")))))
                    .encode();
            for (ServerWebSocket socket : sockets) {
              if (!socket.isClosed() && !socket.writeQueueFull()) {
                socket.writeTextMessage(frame);
              }
            }
          }
        },
        random,
        prices,
        stats.ticks);
    desks.close().await(30, TimeUnit.SECONDS);
    server.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    return stats;
  }

  /**
   * The second baseline: a naive broadcaster on Node's {@code ws} ({@code bench/node-broadcaster},
   * its own process, installed with {@code npm ci} on first use), one frame per tick per client;
   * the feed reaches it over a WebSocket from its own thread, as it reaches the gateway.
   */
  private static Stats runNode(Vertx clientVertx, int clients, int rate, int warmup, int seconds)
      throws Exception {
    java.io.File dir = Path.of("bench", "node-broadcaster").toFile();
    if (!new java.io.File(dir, "node_modules").isDirectory()) {
      Process install =
          new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
              .directory(dir)
              .inheritIO()
              .start();
      if (install.waitFor() != 0) {
        throw new IllegalStateException("npm ci failed in " + dir);
      }
    }
    Process server =
        new ProcessBuilder("node", "server.js", "0")
            .directory(dir)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      String line =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(
                      server.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))
              .readLine();
      if (line == null || !line.startsWith("listening ")) {
        throw new IllegalStateException("the Node broadcaster did not start: " + line);
      }
      int port = Integer.parseInt(line.substring("listening ".length()).trim());
      Stats stats = new Stats();
      WebSocketClient desks = connect(clientVertx, new int[] {port}, "/", clients, stats, null);
      Vertx driver = Vertx.vertx(loops(1));
      WebSocketClient feedClient = driver.createWebSocketClient();
      WebSocket feed =
          feedClient
              .connect(
                  new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/feed"))
              .await(10, TimeUnit.SECONDS);
      Map<String, Double> prices = new HashMap<>(REFERENCE);
      drive(
          driver,
          rate,
          warmup,
          seconds,
          stats::reset,
          batch -> feed.writeTextMessage(new JsonArray(new ArrayList<Object>(batch)).encode()),
          new SplittableRandom(1),
          prices,
          stats.ticks);
      stats.consistentClients = settle("node ws", stats, prices, clients);
      // the server goes first: its sockets close with it, and the clients need no close handshake
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
      driver.close().await(30, TimeUnit.SECONDS);
      desks.close().await(30, TimeUnit.SECONDS);
      return stats;
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Stats runGateway(Vertx clientVertx, int clients, int rate, int warmup, int seconds)
      throws Exception {
    Path data = Scratch.directory("gp-load");
    Gateway gateway =
        Gateway.start(
            SettingsLoader.load(
                java.util.Optional.empty(),
                Map.of(
                    "GP_DATA_DIR",
                    data.toString(),
                    "GP_HTTP_PORT",
                    "0",
                    "GP_HTTP_HOST",
                    "127.0.0.1",
                    "GP_FEEDS",
                    "ingest",
                    "GP_DEMO",
                    "false",
                    "GP_TICK_MAX_FUTURE",
                    "60s",
                    "GP_CONNECTIONS_PER_ADDRESS",
                    "1000000",
                    "GP_UNAUTHENTICATED_SOCKETS_PER_ADDRESS",
                    "1000000",
                    // every load desk is one subject of one bank
                    "GP_WS_MAX_PER_SUBJECT",
                    "1000000",
                    "GP_WS_MAX_PER_BANK",
                    "10000000")));
    try {
      String viewer =
          gateway
              .authentication()
              .mint(
                  "load",
                  java.util.Optional.of("LOAD"),
                  List.of("viewer"),
                  java.time.Duration.ofHours(1));
      String feed =
          gateway
              .authentication()
              .mint(
                  "load-feed",
                  java.util.Optional.empty(),
                  List.of("feed"),
                  java.time.Duration.ofHours(1));
      int port = gateway.httpPort();
      return runAgainst(
          clientVertx, new int[] {port}, port, viewer, feed, clients, rate, warmup, seconds);
    } finally {
      gateway.close();
    }
  }

  /**
   * The gateway in a JVM of its own (java -cp <this class path> io.greenpledge.Main serve), or
   * {@code nodes} of them joined as a cluster over Hazelcast on loopback, sharing a fresh database
   * on the tests' embedded PostgreSQL: the feed goes to the first node, the desks are dealt to the
   * nodes in turn, so a tick reaches the other nodes' desks through the cluster after its origin
   * stored it.
   */
  private static Stats runGatewayProcess(
      Vertx clientVertx,
      int clients,
      int rate,
      int warmup,
      int seconds,
      String profile,
      String jvmOptions,
      int nodes,
      boolean restart,
      int warmClient)
      throws Exception {
    List<String> jvm = new ArrayList<>();
    if (jvmOptions != null) {
      jvm.addAll(List.of(jvmOptions.split(",")));
    }
    Map<String, String> settings = new HashMap<>();
    settings.put("GP_FEEDS", "ingest");
    settings.put("GP_DEMO", "false");
    settings.put("GP_TICK_MAX_FUTURE", "60s");
    settings.put("GP_RATE_LIMIT", "0");
    settings.put("GP_INGEST_RATE_LIMIT", "0");
    // Every load client connects from 127.0.0.1 as one subject of one bank: lift the per-address
    // and per-desk limits a real deployment keeps.
    settings.put("GP_CONNECTIONS_PER_ADDRESS", "1000000");
    settings.put("GP_UNAUTHENTICATED_SOCKETS_PER_ADDRESS", "1000000");
    settings.put("GP_WS_MAX_PER_SUBJECT", "1000000");
    settings.put("GP_WS_MAX_PER_BANK", "10000000");
    settings.putAll(GATEWAY_SETTINGS);
    long processStarted = System.nanoTime();
    List<BenchGateway> gateways = new ArrayList<>();
    try {
      if (nodes == 1 && restart) {
        // A restart, as operators do it: the data directory (its PostgreSQL) initialised by a
        // first start and stop, then the measured start on it.
        Path data = Scratch.directory("gp-bench");
        try (BenchGateway initial = new BenchGateway(settings, jvm, data)) {
          if (warmClient > 0) {
            warmClient(clientVertx, initial, clients, rate, warmClient);
          }
        }
        processStarted = System.nanoTime();
        gateways.add(new BenchGateway(settings, withProfiler(jvm, profile), data));
      } else if (nodes == 1) {
        gateways.add(new BenchGateway(settings, withProfiler(jvm, profile)));
      } else {
        Path shared = Scratch.directory("gp-cluster");
        // The tests' PostgreSQL (embedded, stopped with this JVM), a fresh database in it.
        String pgUrl = io.greenpledge.support.TestDatabase.freshUrl();
        int[] clusterPorts = new int[nodes];
        List<String> members = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
          clusterPorts[i] = io.greenpledge.support.Ports.free();
          members.add("127.0.0.1:" + clusterPorts[i]);
        }
        processStarted = System.nanoTime();
        for (int i = 0; i < nodes; i++) {
          Map<String, String> node = new HashMap<>(settings);
          node.put("GP_PG_URL", pgUrl);
          node.put("GP_CLUSTER", "true");
          node.put("GP_CLUSTER_PORT", String.valueOf(clusterPorts[i]));
          node.put("GP_CLUSTER_MEMBERS", String.join(",", members));
          // The profiler, when asked for, watches the node the feed goes to.
          gateways.add(new BenchGateway(node, i == 0 ? withProfiler(jvm, profile) : jvm, shared));
        }
      }
      BenchGateway first = gateways.get(0);
      System.out.printf(
          "gateway process%s started → ready: %.1f s%n",
          nodes == 1 ? "" : "es (" + nodes + " nodes)", (System.nanoTime() - processStarted) / 1e9);
      PROCESS_STARTED = processStarted;
      int[] deskPorts = gateways.stream().mapToInt(g -> g.port).toArray();
      Stats stats =
          runAgainst(clientVertx, first, deskPorts, "load-feed", clients, rate, warmup, seconds);
      for (BenchGateway gateway : gateways) {
        printGatewaySide(java.net.http.HttpClient.newHttpClient(), gateway.managementPort);
      }
      // Where the two cores went: the gateways' processes
      // and this one (the load), since each began.
      double wall = (System.nanoTime() - processStarted) / 1e9;
      System.out.printf(
          "cpu since the gateway started (%.0f s, %.0f core-seconds on %d cores): gateway %s s,"
              + " load client %.1f s%n",
          wall,
          wall * Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().availableProcessors(),
          String.join(
              " + ",
              gateways.stream().map(g -> String.format("%.1f", g.cpu().toMillis() / 1e3)).toList()),
          ProcessHandle.current()
                  .info()
                  .totalCpuDuration()
                  .orElse(java.time.Duration.ZERO)
                  .toMillis()
              / 1e3);
      return stats;
    } finally {
      for (BenchGateway gateway : gateways) {
        gateway.close();
      }
    }
  }

  /**
   * {@code --warm-client S} with {@code --restart true}: this process (the desks and the feed) runs
   * the load for S seconds against the first start, so that the measured start meets a client whose
   * own compilers are done, as a bank's desks on their own machines would be. Its feed is a source
   * of its own: the measured run's sequence numbers start again at one.
   */
  private static void warmClient(
      Vertx clientVertx, BenchGateway gateway, int clients, int rate, int seconds)
      throws Exception {
    Stats stats =
        runAgainst(
            clientVertx,
            gateway,
            new int[] {gateway.port},
            "load-feed-warm",
            clients,
            rate,
            0,
            seconds);
    System.out.printf(
        "load client warmed: %d s against the first start, %d / %d desks consistent%n",
        seconds, stats.consistentClients, clients);
  }

  /**
   * The load against gateway processes, with tokens from {@code first}'s key: the desks (one bank's
   * viewers) dealt to {@code deskPorts}, the feed as {@code feedSubject} into {@code first}.
   */
  private static Stats runAgainst(
      Vertx clientVertx,
      BenchGateway first,
      int[] deskPorts,
      String feedSubject,
      int clients,
      int rate,
      int warmup,
      int seconds)
      throws Exception {
    java.time.Duration hour = java.time.Duration.ofHours(1);
    String viewer = first.mint("load", java.util.Optional.of("LOAD"), List.of("viewer"), hour);
    String feed = first.mint(feedSubject, java.util.Optional.empty(), List.of("feed"), hour);
    return runAgainst(
        clientVertx, deskPorts, first.port, viewer, feed, clients, rate, warmup, seconds);
  }

  private static List<String> withProfiler(List<String> jvm, String profile) {
    List<String> options = new ArrayList<>(jvm);
    if (profile != null) {
      options.add(0, Profiling.agent(profile));
    }
    return options;
  }

  /**
   * The gateway's own view (gp_tick_to_push: tick timestamp to the frame handed to the socket),
   * which separates the time spent in the gateway from the time the frames wait in the client.
   */
  private static void printGatewaySide(java.net.http.HttpClient http, int port) throws Exception {
    String metrics =
        http.send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    StringBuilder line = new StringBuilder("gateway side (tick → frame written), share within:");
    double count = 0;
    Map<String, Double> buckets = new java.util.LinkedHashMap<>();
    for (String row : metrics.split("\n")) {
      if (row.startsWith("gp_tick_to_push_seconds_bucket{")) {
        String le =
            row.substring(row.indexOf("le=\"") + 4, row.indexOf('"', row.indexOf("le=\"") + 4));
        buckets.put(le, Double.parseDouble(row.substring(row.lastIndexOf(' ') + 1)));
      } else if (row.startsWith("gp_tick_to_push_seconds_count")) {
        count = Double.parseDouble(row.substring(row.lastIndexOf(' ') + 1));
      }
    }
    for (String le : List.of("0.025", "0.05", "0.1", "0.25", "1.0")) {
      if (buckets.containsKey(le) && count > 0) {
        line.append(String.format(" %s s %.2f %%", le, 100 * buckets.get(le) / count));
      }
    }
    System.out.println(line);
  }

  private static Stats runAgainst(
      Vertx clientVertx,
      int[] deskPorts,
      int port,
      String viewer,
      String feed,
      int clients,
      int rate,
      int warmup,
      int seconds)
      throws Exception {
    {
      Stats stats = new Stats();
      WebSocketClient desks = connect(clientVertx, deskPorts, "/ws", clients, stats, viewer);
      // The feed has a thread of its own, as a market-data connector would: sharing the desks'
      // event loop would delay ticks behind the frames the desks are reading.
      Vertx driver = Vertx.vertx(loops(1));
      // Held until the end: Vert.x closes the connections of a client that is garbage collected.
      WebSocketClient feedClient = driver.createWebSocketClient();
      WebSocket ingest =
          feedClient
              .connect(
                  new WebSocketConnectOptions()
                      .setHost("127.0.0.1")
                      .setPort(port)
                      .setURI("/ws/ingest"))
              .await(10, TimeUnit.SECONDS);
      // Acks are read (and counted): an unread socket would stop the gateway reading the feed.
      AtomicLong acks = new AtomicLong();
      AtomicLong rejected = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      ingest.textMessageHandler(
          ack -> {
            acks.incrementAndGet();
            JsonObject frame = new JsonObject(ack);
            rejected.addAndGet(frame.getLong("rejected", 0L));
            if ("error".equals(frame.getString("type")) && errors.incrementAndGet() == 1) {
              System.out.println("ingest: first error " + ack);
            }
          });
      ingest.writeTextMessage(new JsonObject().put("op", "auth").put("token", feed).encode());
      AtomicLong seq = new AtomicLong();
      SplittableRandom random = new SplittableRandom(1);
      Map<String, Double> prices = new HashMap<>(REFERENCE);
      AtomicLong seqAtStart = new AtomicLong();
      drive(
          driver,
          rate,
          warmup,
          seconds,
          () -> {
            stats.reset();
            seqAtStart.set(seq.get());
          },
          batch -> {
            JsonArray ticks = new JsonArray();
            for (JsonObject tick : batch) {
              ticks.add(
                  new JsonObject()
                      .put("instrument", tick.getString("instrument"))
                      .put("price", tick.getDouble("price"))
                      .put("quantity", 10)
                      .put("ts", Instant.ofEpochMilli(tick.getLong("ms")).toString())
                      .put("seq", seq.incrementAndGet()));
            }
            ingest.writeTextMessage(
                new JsonObject().put("op", "ticks").put("ticks", ticks).encode());
          },
          random,
          prices,
          stats.ticks);
      // Every batch answered (or 10 s) before closing: closing drops what is still unsent.
      long sentBatches = seq.get() / Math.max(1, rate / 100) + 1;
      long endedAt = System.nanoTime();
      while (acks.get() < sentBatches
          && System.nanoTime() - endedAt < TimeUnit.SECONDS.toNanos(10)) {
        Thread.sleep(10);
      }
      System.out.printf(
          "ingest: last answer %d ms after the last batch%n",
          (System.nanoTime() - endedAt) / 1_000_000);
      feedClient.close().await(10, TimeUnit.SECONDS);
      driver.close().await(30, TimeUnit.SECONDS);
      stats.ticksSent.set(seq.get() - seqAtStart.get());
      System.out.printf(
          "ingest: %d ticks sent, %d answers, %d errors, %d ticks rejected%n",
          seq.get(), acks.get(), errors.get(), rejected.get());
      stats.consistentClients = settle(stats, prices, clients);
      desks.close().await(30, TimeUnit.SECONDS);
      return stats;
    }
  }

  /** Waits (bounded) for the last window to arrive, then checks every client's final prices. */
  private static int settle(Stats stats, Map<String, Double> expected, int clients)
      throws InterruptedException {
    return settle("gateway", stats, expected, clients);
  }

  private static int settle(String name, Stats stats, Map<String, Double> expected, int clients)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int matching = 0;
    while (System.nanoTime() < deadline) {
      matching =
          (int) stats.lastPrice.values().stream().map(Held::asMap).filter(expected::equals).count();
      if (matching == clients) {
        break;
      }
      Thread.sleep(100);
    }
    System.out.printf(
        "%s final state: %d of %d clients hold the last price of all %d instruments%n",
        name, matching, clients, expected.size());
    if (matching < clients) {
      stats.lastPrice.values().stream()
          .map(Held::asMap)
          .filter(last -> !last.equals(expected))
          .findFirst()
          .ifPresent(
              last ->
                  System.out.printf(
                      "  a client holds %s, the source ended at %s%n",
                      new java.util.TreeMap<>(last), new java.util.TreeMap<>(expected)));
    }
    return matching;
  }

  /**
   * Connects the desks; the returned client holds their connections and must be kept until the end
   * of the run: Vert.x closes the connections of a client that is garbage collected.
   */
  private static WebSocketClient connect(
      Vertx vertx, int[] ports, String path, int clients, Stats stats, String token)
      throws Exception {
    WebSocketClient client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setMaxConnections(clients + 10)
                .setMaxFrameSize(16 * 1024 * 1024)
                .setMaxMessageSize(64 * 1024 * 1024));
    List<Future<WebSocket>> futures = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      if (i % 50 == 0) {
        // Connect in waves: a thousand simultaneous handshakes only measure the accept queue.
        Future.all(futures).await(60, TimeUnit.SECONDS);
      }
      int id = i;
      futures.add(
          client
              .connect(
                  new WebSocketConnectOptions()
                      .setHost("127.0.0.1")
                      .setPort(ports[i % ports.length])
                      .setURI(path))
              .onSuccess(
                  ws -> {
                    Held last = new Held();
                    stats.lastPrice.put(id, last);
                    // Frame data, not aggregated messages:
                    // both servers send every message as one frame.
                    ws.frameHandler(frame -> onFrame(frame.binaryData(), stats, last));
                    if (token != null) {
                      ws.writeTextMessage(
                          new JsonObject().put("op", "auth").put("token", token).encode());
                      ws.writeTextMessage(
                          SUBSCRIBE
                              .copy()
                              .put("op", "subscribe")
                              .put("channels", new JsonArray().add("prices"))
                              .encode());
                    }
                  }));
    }
    Future.all(futures).await(120, TimeUnit.SECONDS);
    return client;
  }

  /** Options of the desks' subscribe ({@code --options '{"delta":true}'}); none by default. */
  private static JsonObject SUBSCRIBE = new JsonObject();

  /** When the gateway process was started (nanoTime), for the cold-start timeline; 0: inline. */
  private static long PROCESS_STARTED;

  /** {@code --set}: settings of the gateway process over those of the load. */
  private static final Map<String, String> GATEWAY_SETTINGS = new HashMap<>();

  private static final String UPDATE = "{\"type\":\"update\"";
  private static final String PRICE_ITEM = "{\"channel\":\"prices:";
  private static final String TS = "\"ts\":";
  private static final String LAST_TRADE = "\"lastTrade\":";

  /**
   * Reads what the measurement needs (item channel, item ts, lastTrade) by scanning the frame's
   * text: parsing every frame's JSON would make the client, which shares the machine with the
   * gateway, the bottleneck it is measuring. The frame is read as Latin-1 (its bytes as they are,
   * one char each: the fields read are ASCII) so that the scans are {@link String#indexOf}, which
   * the JVM compiles to vector instructions; a byte-by-byte scan of every frame took half the
   * client's CPU at 10,000 desks (BENCHMARKS.md, "The load client's scan"). The prices held go into
   * an array, not a map of boxed values. Both servers get the same client.
   */
  private static void onFrame(io.vertx.core.buffer.Buffer message, Stats stats, Held held) {
    String text = message.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    if (!text.startsWith(UPDATE)) {
      return;
    }
    long now = System.currentTimeMillis();
    stats.frames.incrementAndGet();
    stats.bytes.addAndGet(text.length());
    int at = text.indexOf(PRICE_ITEM);
    while (at >= 0) {
      int idStart = at + PRICE_ITEM.length();
      int idEnd = text.indexOf('"', idStart);
      int instrument = instrumentIndex(text, idStart, idEnd);
      long ts = (long) number(text, text.indexOf(TS, idEnd) + TS.length());
      int next = text.indexOf(PRICE_ITEM, idEnd);
      int tradeAt = text.indexOf(LAST_TRADE, idEnd);
      stats.updates.incrementAndGet();
      stats.record(now - ts, now);
      // a delta item carries lastTrade only when it changed: the one found must be this item's
      double trade =
          tradeAt >= 0 && (next < 0 || tradeAt < next)
              ? number(text, tradeAt + LAST_TRADE.length())
              : Double.NaN;
      if (instrument < 0) {
        // not an instrument the feed sends: its price held apart, so the final state differs
        if (!Double.isNaN(trade)) {
          held.others.put(text.substring(idStart, idEnd), trade);
        }
        at = next;
        continue;
      }
      long heldTs = held.ts[instrument];
      if (ts > heldTs) {
        // the ticks after the one the client held, up to this one, reach it now: the oldest of
        // them waited longest (with conflation the others were superseded before a frame left)
        long oldest = heldTs == 0 ? -1 : stats.ticks.firstAfter(instrument, heldTs);
        if (oldest > 0) {
          stats.recordLag(now - oldest);
        }
        held.ts[instrument] = ts;
      }
      if (!Double.isNaN(trade)) {
        held.prices[instrument] = trade;
      }
      at = next;
    }
  }

  /** The index in {@link #INSTRUMENTS} of the id {@code text[from, to)}, or -1. */
  private static int instrumentIndex(String text, int from, int to) {
    for (int i = 0; i < INSTRUMENTS.size(); i++) {
      String id = INSTRUMENTS.get(i);
      if (id.length() == to - from && text.startsWith(id, from)) {
        return i;
      }
    }
    return -1;
  }

  private static double number(String text, int from) {
    int end = from;
    while (end < text.length() && "-+.0123456789eE".indexOf(text.charAt(end)) >= 0) {
      end++;
    }
    return Double.parseDouble(text.substring(from, end));
  }

  /** The last price a client holds of each instrument, by index in {@link #INSTRUMENTS}. */
  static final class Held {
    final double[] prices = new double[INSTRUMENTS.size()];

    /** The source time of the latest item received of each instrument (0: none yet). */
    final long[] ts = new long[INSTRUMENTS.size()];

    /** The last prices of instruments the feed does not send (none expected), by id. */
    final Map<String, Double> others = new HashMap<>();

    Held() {
      java.util.Arrays.fill(prices, Double.NaN);
    }

    /** The prices held, by instrument (an instrument with no price yet is absent). */
    Map<String, Double> asMap() {
      Map<String, Double> map = new HashMap<>(others);
      for (int i = 0; i < prices.length; i++) {
        if (!Double.isNaN(prices[i])) {
          map.put(INSTRUMENTS.get(i), prices[i]);
        }
      }
      return map;
    }
  }

  /**
   * Sends R ticks/s in 10 ms batches from the given Vert.x, for the warm-up and then for S seconds;
   * prices walk inside ±2 %. {@code measuring} runs once, between the two (the JIT of a fresh JVM
   * and the first connections' snapshots are not what a desk sees in steady state).
   */
  private static void drive(
      Vertx vertx,
      int rate,
      int warmup,
      int seconds,
      Runnable measuring,
      java.util.function.Consumer<List<JsonObject>> sink,
      SplittableRandom random,
      Map<String, Double> prices,
      TickTimes ticks)
      throws Exception {
    int perBatch = Math.max(1, rate / 100);
    long warmupBatches = warmup * 100L;
    long batches = warmupBatches + seconds * 100L;
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    AtomicLong sent = new AtomicLong();
    vertx.setPeriodic(
        10,
        id -> {
          long number = sent.incrementAndGet();
          if (number == 1 && PROCESS_STARTED != 0) {
            System.out.printf(
                "feed at full rate from %.1f s after the gateway process started%n",
                (System.nanoTime() - PROCESS_STARTED) / 1e9);
          }
          if (number == warmupBatches + 1) {
            measuring.run();
          }
          if (number > batches) {
            vertx.cancelTimer(id);
            done.countDown();
            return;
          }
          List<JsonObject> batch = new ArrayList<>(perBatch);
          long ms = System.currentTimeMillis();
          for (int i = 0; i < perBatch; i++) {
            int index = random.nextInt(INSTRUMENTS.size());
            String instrument = INSTRUMENTS.get(index);
            ticks.sent(index, ms);
            double reference = REFERENCE.get(instrument);
            double price =
                Math.round(reference * (0.98 + random.nextDouble() * 0.04) * 100) / 100.0;
            prices.put(instrument, price);
            batch.add(
                new JsonObject().put("instrument", instrument).put("price", price).put("ms", ms));
          }
          sink.accept(batch);
        });
    done.await(warmup + seconds + 30L, TimeUnit.SECONDS);
  }

  /** {@code --set GP_WS_WINDOW=25ms[,NAME=VALUE...]}: gateway settings over a load's own. */
  static Map<String, String> settings(Map<String, String> options) {
    Map<String, String> settings = new HashMap<>();
    for (String pair : options.getOrDefault("set", "").split(",")) {
      if (!pair.isBlank()) {
        settings.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
      }
    }
    return settings;
  }

  /** {@code --name value} pairs, from one argument or many (the exec plugin passes one). */
  static Map<String, String> options(String[] args) {
    List<String> words = new ArrayList<>();
    for (String arg : args) {
      words.addAll(List.of(arg.trim().split("\\s+")));
    }
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < words.size(); i += 2) {
      options.put(words.get(i).replaceFirst("^--", ""), words.get(i + 1));
    }
    return options;
  }
}
