package io.greenpledge.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.support.Connector;
import io.greenpledge.support.GatewayProcess;
import io.greenpledge.support.Ports;
import io.greenpledge.support.Tokens;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default, as most users run it, held to "acknowledged means stored": the gateway is a
 * child JVM with PostgreSQL under its data directory, and the test kills what an OOM killer, an
 * operator or a crash would kill, while connectors stream over REST and {@code /ws/ingest}.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class EmbeddedCrashIT {

  private static final Map<String, String> INGEST_ONLY =
      Map.of(
          "GP_FEEDS",
          "ingest",
          "GP_DEMO",
          "false",
          "GP_RATE_LIMIT",
          "0",
          "GP_INGEST_RATE_LIMIT",
          "0");

  @TempDir Path dataDir;

  @Test
  @DisplayName(
      "kill -9 of the gateway and its postmaster at five moments: every acknowledged tick is stored "
          + "once, every resent one too, and the gateway starts again at the first attempt")
  void acknowledgedTicksSurviveAKillOfTheGatewayTogetherWithItsPostmaster() throws Exception {
    int port = Ports.free();
    GatewayProcess gateway = GatewayProcess.start(dataDir, port, INGEST_ONLY);
    Tokens tokens = Tokens.local(dataDir);
    List<Connector> connectors =
        List.of(
            new Connector(Connector.Transport.REST, tokens, "rest-vendor", port),
            new Connector(Connector.Transport.WEBSOCKET, tokens, "ws-vendor", port));
    int[] batchesBeforeKill = {1, 4, 9, 15, 22};
    for (int moment = 0; moment < batchesBeforeKill.length; moment++) {
      streamAndKill(gateway, connectors, batchesBeforeKill[moment], moment % 2 == 0);
      gateway =
          GatewayProcess.start(dataDir, port, INGEST_ONLY); // first attempt, no orphan in the way
      for (Connector connector : connectors) {
        connector.reconnect(port);
        assertTrue(connector.resendPending(20), "the restarted gateway stored the resent batch");
      }
      assertStoredExactlyOnce(gateway, connectors);
    }
    gateway.close();
  }

  /**
   * Streams from both connectors on their own threads and kills once each has the given
   * acknowledgements.
   */
  private static void streamAndKill(
      GatewayProcess gateway, List<Connector> connectors, int batches, boolean postmasterToo)
      throws Exception {
    Map<Connector, Long> target = new HashMap<>();
    connectors.forEach(c -> target.put(c, c.acknowledged().size() + batches * 50L));
    List<Thread> threads =
        connectors.stream()
            .map(
                c ->
                    new Thread(
                        () -> {
                          while (gateway.process().isAlive()) {
                            c.sendNext(50);
                          }
                        }))
            .toList();
    threads.forEach(Thread::start);
    for (Connector connector : connectors) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (connector.acknowledged().size() < target.get(connector)
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
    }
    if (postmasterToo) {
      gateway.killAll();
    } else {
      gateway.killGateway(); // the postmaster lives on; the next start must find and stop it
    }
    for (Thread thread : threads) {
      thread.join(60_000);
    }
  }

  private static void assertStoredExactlyOnce(GatewayProcess gateway, List<Connector> connectors)
      throws Exception {
    try (Connection db = gateway.database()) {
      for (Connector connector : connectors) {
        Set<Long> acknowledged = connector.acknowledged();
        assertFalse(acknowledged.isEmpty());
        String source = connector.source();
        ResultSet rows =
            db.createStatement()
                .executeQuery(
                    "SELECT count(*), count(DISTINCT seq), "
                        + "count(*) FILTER (WHERE seq <= "
                        + connector.lastSent()
                        + ") FROM ticks WHERE source = '"
                        + source
                        + "'");
        rows.next();
        assertEquals(rows.getLong(1), rows.getLong(2), source + ": no tick stored twice");
        assertEquals(
            connector.lastSent(),
            rows.getLong(3),
            source + ": every tick sent (all acknowledged after the resend) is stored");
        assertEquals(
            acknowledged.size(), rows.getLong(1), source + ": nothing stored that was not sent");
      }
    }
  }

  @Test
  @DisplayName(
      "kill -9 of the postmaster alone: the gateway restarts it, stays live, and loses nothing")
  void aPostmasterKilledUnderTheGatewayIsRestartedAndNothingIsLost() throws Exception {
    int port = Ports.free();
    try (GatewayProcess gateway = GatewayProcess.start(dataDir, port, INGEST_ONLY)) {
      Tokens tokens = Tokens.local(dataDir);
      Connector connector = new Connector(Connector.Transport.REST, tokens, "vendor", port);
      for (int i = 0; i < 5; i++) {
        assertTrue(connector.sendNext(50));
      }
      long before = gateway.postmasterPid();
      gateway.killPostmaster();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      int acknowledgedAfter = 0;
      io.greenpledge.support.Http http = gateway.http();
      while (acknowledgedAfter < 5 && System.nanoTime() < deadline) {
        if (connector.sendNext(50)) {
          acknowledgedAfter++;
        }
        assertEquals(
            200, http.get("/health/live", null).status(), "liveness holds while it restarts");
      }
      assertEquals(
          5,
          acknowledgedAfter,
          "ingest was acknowledged again after the restart:\n" + gateway.log());
      assertTrue(gateway.postmasterPid() != before, "a new postmaster runs");
      assertStoredExactlyOnce(gateway, List.of(connector));
      String log = gateway.log();
      assertEquals(
          1,
          count(log, "exited under the running gateway"),
          "one warning for the incident:\n" + log);
      assertTrue(
          count(log, "journal unavailable") <= 1, "the journal logged the outage once:\n" + log);
    }
  }

  @Test
  @DisplayName("a postmaster that cannot be restarted fails liveness, with one error line")
  void aPostmasterThatCannotBeRestartedFailsLiveness() throws Exception {
    int port = Ports.free();
    try (GatewayProcess gateway = GatewayProcess.start(dataDir, port, INGEST_ONLY)) {
      // A data directory from another PostgreSQL major version: the server refuses to start on it.
      java.nio.file.Files.writeString(dataDir.resolve("pg").resolve("PG_VERSION"), "9\n");
      gateway.killPostmaster();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      int live = 200;
      io.greenpledge.support.Http http = gateway.http(); // one client: one kept-alive connection
      while (live == 200 && System.nanoTime() < deadline) {
        try {
          live = http.get("/health/live", null).status();
        } catch (RuntimeException e) {
          throw new AssertionError("liveness did not answer: " + e + "\n" + gateway.log(), e);
        }
      }
      assertEquals(503, live, "liveness fails once the restarts are exhausted:\n" + gateway.log());
      assertEquals(1, count(gateway.log(), "could not be restarted"), gateway.log());
    }
  }

  @Test
  @DisplayName(
      "SIGTERM under full load: stops in seconds, logs no error, and every acknowledged tick is stored")
  void aStopUnderFullLoadIsQuickCleanAndLosesNothing() throws Exception {
    int port = Ports.free();
    Map<String, String> settings = new HashMap<>(INGEST_ONLY);
    settings.put("GP_FEEDS", "simulator,ingest");
    settings.put("GP_DEMO", "true");
    GatewayProcess gateway = GatewayProcess.start(dataDir, port, settings);
    Tokens tokens = Tokens.local(dataDir);
    List<Connector> connectors =
        List.of(
            new Connector(Connector.Transport.REST, tokens, "rest-vendor", port),
            new Connector(Connector.Transport.WEBSOCKET, tokens, "ws-vendor", port));
    List<Thread> threads =
        connectors.stream()
            .map(
                c ->
                    new Thread(
                        () -> {
                          while (gateway.process().isAlive()) {
                            c.sendNext(200);
                          }
                        }))
            .toList();
    threads.forEach(Thread::start);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (Connector connector : connectors) {
      while (connector.acknowledged().size() < 4000 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertTrue(connector.acknowledged().size() >= 4000, "ingest is flowing");
    }
    long stopMillis = gateway.terminate(30);
    for (Thread thread : threads) {
      thread.join(30_000);
    }
    String log = gateway.log();
    assertTrue(stopMillis < 10_000, "stopped in " + stopMillis + " ms");
    assertFalse(log.contains(" ERROR "), "no error logged:\n" + log);
    assertFalse(log.contains("did not stop cleanly"), log);
    assertFalse(log.contains("failed"), "no failed write logged:\n" + log);
    try (GatewayProcess again = GatewayProcess.start(dataDir, port, settings)) {
      assertFalse(
          again.log().contains("still running"),
          "the stop left no postmaster behind:\n" + again.log());
      for (Connector connector : connectors) {
        connector.reconnect(port);
        assertTrue(connector.resendPending(20));
      }
      assertStoredExactlyOnce(again, connectors);
    }
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
