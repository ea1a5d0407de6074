package io.greenpledge.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes on the wire per update and per desk, with and without {@code delta} (and with {@code
 * fields}), on the demo book: the gateway on its embedded defaults (simulator, demo pledges) in its
 * own JVM, one DEMO-A desk per option set on prices and valuations, update frames counted after a
 * warm-up (snapshots are not counted).
 *
 * <pre>
 * mvn -B -Pbench test-compile exec:exec -Dbench.main=io.greenpledge.bench.DeltaBytes -Dbench="--seconds 60"
 * </pre>
 */
public final class DeltaBytes {

  private DeltaBytes() {}

  /** One desk's counts. */
  static final class Desk implements WebSocket.Listener {
    final String name;
    final JsonObject options;
    final AtomicLong frames = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong prices = new AtomicLong();
    final AtomicLong valuations = new AtomicLong();
    final AtomicLong priceBytes = new AtomicLong();
    final AtomicLong valuationBytes = new AtomicLong();
    volatile boolean counting;
    private final StringBuilder partial = new StringBuilder();

    Desk(String name, JsonObject options) {
      this.name = name;
      this.options = options;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        JsonObject frame = new JsonObject(text);
        if (counting && "update".equals(frame.getString("type"))) {
          frames.incrementAndGet();
          bytes.addAndGet(text.getBytes(StandardCharsets.UTF_8).length);
          for (Object entry : frame.getJsonArray("items")) {
            JsonObject item = (JsonObject) entry;
            int size = item.encode().getBytes(StandardCharsets.UTF_8).length;
            if ("price".equals(item.getString("type"))) {
              prices.incrementAndGet();
              priceBytes.addAndGet(size);
            } else if ("valuation".equals(item.getString("type"))) {
              valuations.incrementAndGet();
              valuationBytes.addAndGet(size);
            }
          }
        }
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
      System.out.printf("desk %s closed: %d %s%n", name, code, reason);
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      System.out.printf("desk %s failed: %s%n", name, error);
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = PushLoad.options(args);
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "60"));
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "10"));
    try (BenchGateway gateway = new BenchGateway(Map.of(), List.of())) {
      HttpClient http = HttpClient.newHttpClient();
      int port = gateway.port;
      String token =
          gateway.mint(
              "bytes",
              java.util.Optional.of("DEMO-A"),
              List.of("viewer"),
              java.time.Duration.ofHours(1));
      JsonArray fields =
          new JsonArray(List.of("mark", "lastTrade", "coverage", "status", "eligibleValue"));
      List<Desk> desks =
          List.of(
              new Desk("full", new JsonObject()),
              new Desk("delta", new JsonObject().put("delta", true)),
              new Desk("fields", new JsonObject().put("fields", fields)),
              new Desk("fields+delta", new JsonObject().put("fields", fields).put("delta", true)));
      List<WebSocket> sockets = new ArrayList<>();
      for (Desk desk : desks) {
        WebSocket socket =
            http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), desk)
                .join();
        // one send at a time: the JDK's WebSocket refuses a send while the last is pending
        socket
            .sendText(new JsonObject().put("op", "auth").put("token", token).encode(), true)
            .join();
        socket
            .sendText(
                desk.options
                    .copy()
                    .put("op", "subscribe")
                    .put("channels", new JsonArray().add("prices").add("valuations"))
                    .encode(),
                true)
            .join();
        sockets.add(socket);
      }
      // pings keep the desks from the idle close during a long run
      java.util.concurrent.ScheduledExecutorService pinger =
          java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
      pinger.scheduleAtFixedRate(
          () -> sockets.forEach(s -> s.sendText("{\"op\":\"ping\"}", true)),
          10,
          10,
          java.util.concurrent.TimeUnit.SECONDS);
      Thread.sleep(warmup * 1000L); // a benchmark's measuring window, not a synchronisation
      desks.forEach(d -> d.counting = true);
      Thread.sleep(seconds * 1000L);
      desks.forEach(d -> d.counting = false);
      pinger.shutdownNow();
      System.out.printf(
          "demo book, DEMO-A desk on prices + valuations, simulator defaults, %d s after %d s%n",
          seconds, warmup);
      System.out.printf(
          "%-13s %9s %9s %11s %11s %11s %13s%n",
          "desk", "frames/s", "items/s", "B/price", "B/valuation", "B/update", "B/s per desk");
      for (Desk desk : desks) {
        long items = desk.prices.get() + desk.valuations.get();
        System.out.printf(
            "%-13s %9.1f %9.1f %11.0f %11.0f %11.0f %13.0f%n",
            desk.name,
            desk.frames.get() / (double) seconds,
            items / (double) seconds,
            desk.priceBytes.get() / (double) Math.max(1, desk.prices.get()),
            desk.valuationBytes.get() / (double) Math.max(1, desk.valuations.get()),
            desk.bytes.get() / (double) Math.max(1, items),
            desk.bytes.get() / (double) seconds);
      }
      sockets.forEach(s -> s.abort());
    }
  }
}
