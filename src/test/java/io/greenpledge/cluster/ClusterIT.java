package io.greenpledge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.greenpledge.Gateway;
import io.greenpledge.config.Settings;
import io.greenpledge.support.Http;
import io.greenpledge.support.TestDatabase;
import io.greenpledge.support.TestSettings;
import io.greenpledge.support.Tokens;
import io.greenpledge.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway nodes on loopback joined over Hazelcast and sharing one PostgreSQL: a tick ingested
 * on node A reaches a desk on node B, a status change is alerted once however many nodes value it,
 * and node B keeps serving when node A stops.
 */
class ClusterIT {

  @TempDir Path dataDir;

  private Settings node(String pgUrl, int port) {
    return TestSettings.with(
        dataDir,
        "GP_PG_URL",
        pgUrl,
        "GP_FEEDS",
        "ingest",
        "GP_DEMO",
        "false",
        "GP_CLUSTER",
        "true",
        "GP_CLUSTER_PORT",
        String.valueOf(port),
        "GP_CLUSTER_MEMBERS",
        "127.0.0.1:5811,127.0.0.1:5812");
  }

  private static boolean isItem(
      JsonObject frame, String type, java.util.function.Predicate<JsonObject> data) {
    for (Object o : frame.getJsonArray("items", new JsonArray())) {
      JsonObject item = (JsonObject) o;
      if (type.equals(item.getString("type")) && data.test(item.getJsonObject("data"))) {
        return true;
      }
    }
    return false;
  }

  private static void awaitItem(
      WsClient ws, String type, java.util.function.Predicate<JsonObject> data)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      JsonObject frame = ws.next(20);
      if (("update".equals(frame.getString("type")) || "snapshot".equals(frame.getString("type")))
          && isItem(frame, type, data)) {
        return;
      }
    }
    throw new AssertionError("no " + type + " item arrived");
  }

  /** A CEA desk on {@code node} receives the price of a tick ingested over {@code ingest}. */
  private static void deskSeesTickIngestedThrough(
      Gateway node, Http ingest, String viewer, String feed, double price, long seq)
      throws Exception {
    try (WsClient desk = new WsClient(node.httpPort(), "/ws")) {
      desk.send(new JsonObject().put("op", "auth").put("token", viewer));
      desk.send(
          new JsonObject()
              .put("op", "subscribe")
              .put("channels", new JsonArray().add("prices:CEA")));
      desk.next("snapshot", 10);
      assertEquals(
          1, ingest.post("/api/v1/ticks", feed, tick(price, seq)).json().getInteger("accepted"));
      awaitItem(desk, "price", d -> d.getDouble("lastTrade") == price);
    }
  }

  private static String tick(double price, long seq) {
    return new JsonObject()
        .put(
            "ticks",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("instrument", "CEA")
                        .put("price", price)
                        .put("quantity", 10)
                        .put("ts", Instant.now().toString())
                        .put("seq", seq)))
        .encode();
  }

  /**
   * gp_pledges of a status as a node's management port exports it, asked until it is 1 (the book's
   * figures are published every 5 s) for at most 15 s.
   */
  private static double pledgesIn(Gateway node, String status) {
    java.util.regex.Pattern line =
        java.util.regex.Pattern.compile(
            "gp_pledges\\{[^}]*status=\"" + status + "\"[^}]*\\} ([0-9.eE+-]+)");
    double value = -1;
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
    while (value != 1.0 && System.nanoTime() < deadline) {
      java.util.regex.Matcher found =
          line.matcher(new Http(node.managementPort()).get("/metrics", null).body());
      value = found.find() ? Double.parseDouble(found.group(1)) : -1;
    }
    return value;
  }

  @Test
  void nodesShareTheFeedAndSurviveOneLeaving() throws Exception {
    String pgUrl = TestDatabase.freshUrl();
    Gateway a = Gateway.start(node(pgUrl, 5811));
    Gateway b = null;
    try {
      b = Gateway.start(node(pgUrl, 5812));
      Tokens tokens = Tokens.local(dataDir);
      Http httpA = new Http(a.httpPort());
      Http httpB = new Http(b.httpPort());
      String feed = tokens.token("vendor", null, "feed");
      try (WsClient desk = new WsClient(b.httpPort(), "/ws")) {
        desk.send(
            new JsonObject()
                .put("op", "auth")
                .put("token", tokens.token("desk", "BANK-C", "viewer")));
        desk.send(
            new JsonObject()
                .put("op", "subscribe")
                .put(
                    "channels", new JsonArray().add("prices:CEA").add("valuations").add("alerts")));
        desk.next("authenticated", 10);

        // A pledge registered through node A is valued in node B's book too.
        JsonObject pledge =
            new JsonObject()
                .put("borrower", "b")
                .put("borrowerCode", "91350100M000100Y43")
                .put("loanId", "L")
                .put("instrument", "CEA")
                .put("quantity", 10_000)
                .put("certificate", "C")
                .put("outstanding", 500_000)
                .put("markBasis", "LAST");
        String id =
            httpA
                .post(
                    "/api/v1/pledges",
                    tokens.token("admin", "BANK-C", "risk-admin"),
                    pledge.encode())
                .json()
                .getString("id");
        awaitItem(desk, "valuation", d -> id.equals(d.getString("pledgeId")));

        // A tick ingested on node A reaches the desk on node B.
        assertEquals(
            1, httpA.post("/api/v1/ticks", feed, tick(71.00, 1)).json().getInteger("accepted"));
        awaitItem(desk, "price", d -> d.getDouble("lastTrade") == 71.00);

        // 69.90 → coverage 1.398: both nodes value it, the alert is stored and sent once.
        httpA.post("/api/v1/ticks", feed, tick(69.90, 2));
        awaitItem(desk, "alert", d -> "STATUS_CHANGE".equals(d.getString("kind")));
        try (Connection connection = TestDatabase.connect(pgUrl);
            ResultSet rows =
                connection
                    .createStatement()
                    .executeQuery(
                        "SELECT count(*) FROM alerts WHERE kind = 'STATUS_CHANGE' AND pledge_id = '"
                            + id
                            + "'")) {
          rows.next();
          assertEquals(1, rows.getInt(1));
        }
        // Business figures are the cluster's on every node (each values every pledge): the rules
        // and the dashboard take them with max across replicas; a sum would count the pledge twice.
        assertEquals(1.0, pledgesIn(a, "WARNING"), "node A's figure");
        assertEquals(1.0, pledgesIn(b, "WARNING"), "node B's figure, the same");
      }

      a.close();
      a = null;
      // Node B keeps serving on its own.
      assertEquals(200, httpB.get("/health/ready", null).status());
      deskSeesTickIngestedThrough(
          b, httpB, tokens.token("desk", "BANK-C", "viewer"), feed, 70.50, 3);

      // Node A rejoins and receives again (a rejoined node
      // that silently hears nothing is a known failure).
      a = Gateway.start(node(pgUrl, 5811));
      deskSeesTickIngestedThrough(
          a, httpB, tokens.token("desk", "BANK-C", "viewer"), feed, 70.80, 4);
    } finally {
      if (a != null) {
        a.close();
      }
      if (b != null) {
        b.close();
      }
    }
  }

  /**
   * Node A runs in its own JVM and is killed with SIGKILL while a connector streams to it; the
   * connector fails over to node B and resends what A never acknowledged: B stores it (a peer never
   * counts as seen what its origin did not store) and nothing is stored twice. Then A rejoins and
   * both nodes value a price path that crosses the lines again and again, fed through both: the
   * stored status changes of the pledge form one consistent history (each {@code from} is the
   * previous {@code to}), however the nodes' views interleave.
   */
  @Test
  void aBatchIsStoredOnceAfterFailoverAndAlertsStayConsistentAfterARejoin() throws Exception {
    String pgUrl = TestDatabase.freshUrl();
    java.util.Map<String, String> nodeA =
        java.util.Map.of(
            "GP_PG_URL",
            pgUrl,
            "GP_FEEDS",
            "ingest",
            "GP_DEMO",
            "false",
            "GP_CLUSTER",
            "true",
            "GP_CLUSTER_PORT",
            "5811",
            "GP_CLUSTER_MEMBERS",
            "127.0.0.1:5811,127.0.0.1:5812",
            "GP_RATE_LIMIT",
            "0",
            "GP_INGEST_RATE_LIMIT",
            "0");
    int portA = io.greenpledge.support.Ports.free();
    Gateway b = Gateway.start(node(pgUrl, 5812));
    io.greenpledge.support.GatewayProcess a =
        io.greenpledge.support.GatewayProcess.start(dataDir, portA, nodeA);
    try {
      Tokens tokens = Tokens.local(dataDir);
      JsonObject pledge =
          new JsonObject()
              .put("borrower", "b")
              .put("borrowerCode", "91350100M000100Y43")
              .put("loanId", "L")
              .put("instrument", "CEA")
              .put("quantity", 10_000)
              .put("certificate", "C")
              .put("outstanding", 500_000)
              .put("markBasis", "LAST");
      String id =
          new Http(b.httpPort())
              .post(
                  "/api/v1/pledges", tokens.token("admin", "BANK-R", "risk-admin"), pledge.encode())
              .json()
              .getString("id");

      io.greenpledge.support.Connector connector =
          new io.greenpledge.support.Connector(
              io.greenpledge.support.Connector.Transport.REST, tokens, "failover", portA);
      Thread streaming =
          new Thread(
              () -> {
                while (a.process().isAlive()) {
                  connector.sendNext(50);
                }
              });
      streaming.start();
      while (connector.acknowledged().size() < 1000) {
        Thread.onSpinWait();
      }
      a.killGateway();
      streaming.join(30_000);
      connector.reconnect(b.httpPort());
      assertEquals(
          true, connector.resendPending(20), "node B stored the batch node A never acknowledged");
      try (Connection connection = TestDatabase.connect(pgUrl);
          ResultSet rows =
              connection
                  .createStatement()
                  .executeQuery(
                      "SELECT count(*), count(DISTINCT seq) FROM ticks WHERE source = 'ingest:failover'")) {
        rows.next();
        assertEquals(connector.lastSent(), rows.getLong(1), "every tick sent is stored");
        assertEquals(rows.getLong(1), rows.getLong(2), "none twice");
      }

      // A rejoins; both nodes value a path across the lines fed alternately through each.
      try (io.greenpledge.support.GatewayProcess rejoined =
          io.greenpledge.support.GatewayProcess.start(dataDir, portA, nodeA)) {
        String feedA = tokens.token("path-a", null, "feed");
        String feedB = tokens.token("path-b", null, "feed");
        // Two connectors at once, one per node: each node applies its own ticks when stored and the
        // other's when shared, so the nodes see the path in different orders and disagree on it.
        List<Thread> feeders = new java.util.ArrayList<>();
        for (int node = 0; node < 2; node++) {
          Http http = node == 0 ? rejoined.http() : new Http(b.httpPort());
          String feed = node == 0 ? feedA : feedB;
          feeders.add(
              new Thread(
                  () -> {
                    for (int i = 1; i <= 60; i++) {
                      http.post("/api/v1/ticks", feed, tick(i % 2 == 0 ? 71.5 : 64.9, i));
                    }
                  }));
        }
        feeders.forEach(Thread::start);
        for (Thread feeder : feeders) {
          feeder.join(60_000);
        }
        assertEquals(
            200, new Http(b.httpPort()).post("/api/v1/ticks", feedB, tick(64.9, 61)).status());
        assertStatusHistoryIsConsistent(pgUrl, id);
      }
    } finally {
      a.close();
      b.close();
    }
  }

  /**
   * Waits (bounded) until the stored history ends in the status the last price gives (64.90:
   * coverage 1.298, MARGIN_CALL), then checks each stored change starts where the one before it
   * ended.
   */
  private static void assertStatusHistoryIsConsistent(String pgUrl, String pledgeId)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    java.util.List<String[]> changes = new java.util.ArrayList<>();
    while (System.nanoTime() < deadline
        && (changes.isEmpty() || !"MARGIN_CALL".equals(changes.get(changes.size() - 1)[1]))) {
      changes.clear();
      try (Connection connection = TestDatabase.connect(pgUrl);
          ResultSet rows =
              connection
                  .createStatement()
                  .executeQuery(
                      "SELECT payload->>'from', payload->>'to' "
                          + "FROM alerts WHERE kind = 'STATUS_CHANGE' AND pledge_id = '"
                          + pledgeId
                          + "' ORDER BY seq")) {
        while (rows.next()) {
          changes.add(new String[] {rows.getString(1), rows.getString(2)});
        }
      }
    }
    assertEquals(
        true,
        changes.size() >= 4,
        "the path crossed the lines: " + changes.size() + " changes stored");
    assertEquals(
        "MARGIN_CALL",
        changes.get(changes.size() - 1)[1],
        "the history ends at the last price's status");
    for (int i = 1; i < changes.size(); i++) {
      assertEquals(
          changes.get(i - 1)[1],
          changes.get(i)[0],
          "status change " + (i + 1) + " starts where change " + i + " ended");
    }
  }
}
