package io.greenpledge.bench;

import io.greenpledge.Gateway;
import io.greenpledge.config.SettingsLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gateway-side figures of the design's targets, each printed as a line of the results table: time
 * to ready on an initialised embedded PostgreSQL, ingest throughput with journal lag, and heap held
 * by idle desk sockets. REST latency is measured with wrk against the running jar (see README).
 *
 * <pre>
 * mvn -B -Pbench test-compile exec:exec -Dbench.main=io.greenpledge.bench.GatewayLoad -Dbench="--sockets 10000"
 * </pre>
 *
 * <p>{@code --set NAME=VALUE[,NAME=VALUE]} starts the gateway with those settings, to measure them
 * side by side, e.g. {@code --set GP_JOURNAL_WRITERS=1}; {@code --warmup S} ingests for S seconds
 * before the measured 15 (default 0: the suite's figure, measured from the start with the JIT
 * cold).
 */
public final class GatewayLoad {

  private GatewayLoad() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = PushLoad.options(args);
    int sockets = Integer.parseInt(options.getOrDefault("sockets", "10000"));
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "0"));
    Path data = Scratch.directory("gp-bench");
    Map<String, String> env =
        new java.util.HashMap<>(
            Map.ofEntries(
                Map.entry("GP_DATA_DIR", data.toString()),
                Map.entry("GP_HTTP_PORT", "0"),
                Map.entry("GP_HTTP_HOST", "127.0.0.1"),
                Map.entry("GP_FEEDS", "ingest"),
                Map.entry("GP_DEMO", "true"),
                Map.entry("GP_RATE_LIMIT", "0"),
                Map.entry("GP_INGEST_RATE_LIMIT", "0"),
                Map.entry("GP_TICK_MAX_FUTURE", "60s"),
                // The load client connects from one address: lift the per-address limits a
                // deployment
                // keeps.
                Map.entry("GP_CONNECTIONS_PER_ADDRESS", "1000000"),
                Map.entry("GP_UNAUTHENTICATED_SOCKETS_PER_ADDRESS", "1000000"),
                // every idle desk is one subject of one bank
                Map.entry("GP_WS_MAX_PER_SUBJECT", "1000000"),
                Map.entry("GP_WS_MAX_PER_BANK", "10000000")));
    env.putAll(PushLoad.settings(options)); // a setting measured side by side
    Gateway.start(SettingsLoader.load(Optional.empty(), env))
        .close(); // initialise the database once
    long started = System.nanoTime();
    Gateway gateway = Gateway.start(SettingsLoader.load(Optional.empty(), env));
    System.out.printf(
        "time to ready (initialised embedded PostgreSQL): %d ms (target ≤ 5,000 ms)%n",
        (System.nanoTime() - started) / 1_000_000);
    Vertx client = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      ingest(gateway, client, warmup);
      idleSockets(gateway, client, sockets);
    } finally {
      client.close().await(30, TimeUnit.SECONDS);
      gateway.close();
    }
  }

  /**
   * Pipelined WebSocket ingest of 1,000-tick batches for 15 s, after {@code warmup} seconds of the
   * same not counted (0: measured from the start, the gateway's JIT cold); acks arrive once
   * journaled.
   */
  private static void ingest(Gateway gateway, Vertx client, int warmup) throws Exception {
    String feed =
        gateway
            .authentication()
            .mint("bench-feed", Optional.empty(), List.of("feed"), Duration.ofHours(1));
    // Held until the end: Vert.x closes the connections of a client that is garbage collected.
    WebSocketClient feedClient =
        client.createWebSocketClient(
            new WebSocketClientOptions()
                .setMaxFrameSize(16 * 1024 * 1024)
                .setMaxMessageSize(64 * 1024 * 1024));
    WebSocket ws =
        feedClient
            .connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(gateway.httpPort())
                    .setURI("/ws/ingest"))
            .await(10, TimeUnit.SECONDS);
    AtomicLong acked = new AtomicLong();
    int window = 20;
    java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(window);
    List<Long> lags = java.util.Collections.synchronizedList(new ArrayList<>());
    ws.textMessageHandler(
        text -> {
          JsonObject frame = new JsonObject(text);
          if ("ack".equals(frame.getString("type"))) {
            acked.addAndGet(frame.getInteger("accepted"));
            inFlight.release();
            lags.add(System.currentTimeMillis() - Long.parseLong(frame.getString("id")));
          }
        });
    ws.writeTextMessage(new JsonObject().put("op", "auth").put("token", feed).encode());
    String[] instruments = {"CEA", "CCER", "CQEA", "CQCER", "CQ-EUR"};
    double[] prices = {72, 85, 30, 25, 120};
    long seconds = 15;
    long seq = 0;
    long start = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    boolean measuring = warmup == 0;
    while (System.nanoTime() < end) {
      if (!measuring && System.nanoTime() >= start) {
        measuring = true;
        acked.set(0);
        lags.clear();
      }
      // Blocks (this is not an event loop) rather than spins: a spinning client would take a core
      // from the gateway it measures.
      if (!inFlight.tryAcquire(1, TimeUnit.SECONDS)) {
        continue;
      }
      JsonArray ticks = new JsonArray();
      String ts = Instant.now().toString();
      for (int i = 0; i < 1000; i++) {
        int k = (int) (seq % instruments.length);
        ticks.add(
            new JsonObject()
                .put("instrument", instruments[k])
                .put("price", prices[k])
                .put("quantity", 1)
                .put("ts", ts)
                .put("seq", ++seq));
      }
      String frame =
          new JsonObject()
              .put("op", "ticks")
              .put("id", String.valueOf(System.currentTimeMillis()))
              .put("ticks", ticks)
              .encode();
      client.runOnContext(v -> ws.writeTextMessage(frame));
    }
    boolean drained = inFlight.tryAcquire(window, 30, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    List<Long> sorted = new ArrayList<>(lags);
    sorted.sort(Long::compare);
    System.out.printf(
        "ingest: %d ticks accepted and journaled in %.1f s = %.0f ticks/s; batch ack (journal) "
            + "latency p50 %d ms, p99 %d ms (target ≥ 50,000 ticks/s, lag ≤ 1 s)%n",
        acked.get(),
        elapsed,
        acked.get() / elapsed,
        sorted.get(sorted.size() / 2),
        sorted.get((int) (sorted.size() * 0.99)));
    if (!drained) {
      System.out.println("ingest: some batches were not acknowledged within 30 s");
    }
    feedClient.close().await(10, TimeUnit.SECONDS);
  }

  /** Heap after GC before and after opening idle, authenticated, subscribed desk sockets. */
  private static void idleSockets(Gateway gateway, Vertx client, int count) throws Exception {
    String viewer =
        gateway
            .authentication()
            .mint("bench-desk", Optional.of("DEMO-A"), List.of("viewer"), Duration.ofHours(1));
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long before = heapAfterGc(memory);
    WebSocketClient ws =
        client.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(count + 10));
    List<WebSocket> open = new ArrayList<>();
    CountDownLatch authenticated = new CountDownLatch(count);
    for (int wave = 0; wave < count; wave += 200) {
      List<Future<WebSocket>> futures = new ArrayList<>();
      for (int i = wave; i < Math.min(count, wave + 200); i++) {
        futures.add(
            ws.connect(
                    new WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(gateway.httpPort())
                        .setURI("/ws"))
                .onSuccess(
                    socket -> {
                      socket.textMessageHandler(
                          text -> {
                            if (text.contains("\"authenticated\"")) {
                              authenticated.countDown();
                            }
                          });
                      socket.writeTextMessage(
                          new JsonObject().put("op", "auth").put("token", viewer).encode());
                      socket.writeTextMessage(
                          new JsonObject()
                              .put("op", "subscribe")
                              .put("channels", new JsonArray().add("prices:CEA"))
                              .encode());
                    }));
      }
      Future.all(futures).await(60, TimeUnit.SECONDS);
      futures.forEach(f -> open.add(f.result()));
    }
    authenticated.await(120, TimeUnit.SECONDS);
    long after = heapAfterGc(memory);
    int sessions = gateway.pushSessions();
    System.out.printf(
        "idle sockets: %d desks open (%d sessions); heap after GC %d MiB → %d MiB: %.1f KiB per "
            + "socket, both ends in this JVM (target 10,000 in ≤ 1 GiB)%n",
        open.size(),
        sessions,
        before >> 20,
        after >> 20,
        (after - before) / 1024.0 / Math.max(1, open.size()));
    // Closed only now: Vert.x closes the connections of a client that is garbage collected, and the
    // measurement above runs System.gc().
    ws.close().await(30, TimeUnit.SECONDS);
  }

  private static long heapAfterGc(MemoryMXBean memory) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
