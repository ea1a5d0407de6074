package io.greenpledge.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.greenpledge.market.Instrument;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.MarkBasis;
import io.greenpledge.market.Quote;
import io.greenpledge.market.TradingCalendar;
import io.greenpledge.store.MarketReplay;
import io.greenpledge.support.GatewayExtension;
import io.greenpledge.support.TestDatabase;
import io.greenpledge.support.Ticks;
import io.greenpledge.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Journal groups written side by side ({@code GP_JOURNAL_WRITERS}), held where the test wants them
 * by transactions of the test's own: a tick row of the same {@code (source, seq)} inserted and not
 * committed holds a group's journal statement (its insert waits to see whether the row stays); a
 * source's row of {@code tick_sources} locked holds a group's commit (which rolls that row). A
 * group judged on top of one still being written must commit after it, show nothing before it is
 * stored, and be judged again when the older one fails.
 */
class JournalPipelineIT {

  @RegisterExtension
  static final GatewayExtension node =
      new GatewayExtension("GP_FEEDS", "ingest", "GP_DEMO", "false", "GP_JOURNAL_WRITERS", "3");

  private static JsonObject batch(String id, JsonObject... ticks) {
    return new JsonObject()
        .put("op", "ticks")
        .put("id", id)
        .put("ticks", new JsonArray(List.of((Object[]) ticks)));
  }

  private static String pgUrl() {
    return node.gateway().settings().store().pgUrl().orElseThrow();
  }

  /** A connector authenticated as {@code subject}, its first tick stored (its row exists). */
  private static WsClient connector(String subject) throws InterruptedException {
    WsClient connector = new WsClient(node.gateway().httpPort(), "/ws/ingest");
    connector.send(
        new JsonObject()
            .put("op", "auth")
            .put("token", node.tokens().token(subject, null, "feed")));
    connector.next("authenticated", 5);
    connector.send(batch("first", Ticks.cea(1, 72.00, 10)));
    assertEquals(1, connector.next("ack", 10).getInteger("accepted"));
    return connector;
  }

  /** Holds a group's journal statement: the same tick row, inserted and not yet committed. */
  private static Connection holdStatement(String source, long seq) throws SQLException {
    Connection hold = TestDatabase.connect(pgUrl());
    hold.setAutoCommit(false);
    try (Statement statement = hold.createStatement()) {
      statement.execute(
          "INSERT INTO ticks (instrument, price, quantity, ts, source, seq) VALUES ('CEA', 72, 1,"
              + " now(), '"
              + source
              + "', "
              + seq
              + ")");
    }
    return hold;
  }

  /** Holds a group's commit: the source's row of {@code tick_sources}, locked. */
  private static Connection holdCommit(String source) throws SQLException {
    Connection hold = TestDatabase.connect(pgUrl());
    hold.setAutoCommit(false);
    try (Statement statement = hold.createStatement()) {
      statement.executeQuery(
          "SELECT * FROM tick_sources WHERE source = '" + source + "' FOR UPDATE");
    }
    return hold;
  }

  /**
   * Waits until {@code held} journal statements wait on a lock and {@code done} have run with their
   * transaction left open (written, waiting to commit); answers the held ones' backends, oldest
   * first.
   */
  private static List<Integer> awaitGroups(int held, int done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<Integer> waiting = new ArrayList<>();
    int open = 0;
    try (Connection connection = TestDatabase.connect(pgUrl())) {
      while (System.nanoTime() < deadline) {
        waiting.clear();
        open = 0;
        try (ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT pid, state, wait_event_type FROM pg_stat_activity"
                        + " WHERE query LIKE 'INSERT INTO ticks (id,%' OR query LIKE 'WITH input AS%'"
                        + " ORDER BY xact_start")) {
          while (rows.next()) {
            if ("Lock".equals(rows.getString(3))) {
              waiting.add(rows.getInt(1));
            } else if ("idle in transaction".equals(rows.getString(2))) {
              open++;
            }
          }
        }
        if (waiting.size() == held && open == done) {
          return waiting;
        }
      }
    }
    throw new AssertionError(
        "expected "
            + held
            + " journal statements held and "
            + done
            + " written, waiting to commit; saw "
            + waiting.size()
            + " and "
            + open);
  }

  /** The one value a query answers, as text. */
  private static String text(String sql) throws SQLException {
    try (Connection connection = TestDatabase.connect(pgUrl());
        ResultSet rows = connection.createStatement().executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static String seqs(String source) throws SQLException {
    return text(
        "SELECT string_agg(seq::text, ',' ORDER BY seq) FROM ticks WHERE source = '"
            + source
            + "'");
  }

  private static double lastTrade() {
    return node.http()
        .get("/api/v1/prices/CEA", node.tokens().token("desk", "DEMO-A", "viewer"))
        .json()
        .getDouble("lastTrade");
  }

  private static List<String> statuses(JsonObject ack) {
    List<String> statuses = new ArrayList<>();
    for (Object o : ack.getJsonArray("results")) {
      JsonObject result = (JsonObject) o;
      statuses.add(
          "ACCEPTED".equals(result.getString("status")) ? "ACCEPTED" : result.getString("reason"));
    }
    return statuses;
  }

  @Test
  @DisplayName(
      "groups written side by side are acknowledged in order; one judged after a group the"
          + " database partly refuses is judged again and stored")
  void aGroupJudgedAfterARefusedOneIsJudgedAgain() throws Exception {
    try (WsClient connector = connector("pipe-refused")) {
      String source = "ingest:pipe-refused";
      // The net under the validator: a row the database itself refuses (a data error).
      try (Connection connection = TestDatabase.connect(pgUrl())) {
        connection
            .createStatement()
            .execute(
                "ALTER TABLE ticks ADD CONSTRAINT refuses_seq_4 CHECK (source <> '"
                    + source
                    + "' OR seq <> 4) NOT VALID");
      }
      try (Connection hold = holdStatement(source, 2)) {
        connector.send(batch("g0", Ticks.cea(2, 72.10, 10)));
        awaitGroups(1, 0);
        connector.send(
            batch("g1", Ticks.cea(3, 72.20, 10), Ticks.cea(4, 72.25, 10), Ticks.cea(5, 72.30, 10)));
        connector.send(batch("g2", Ticks.cea(6, 72.40, 10)));
        awaitGroups(1, 1); // g2 written on top of g0 and g1 (refused), waiting to commit
        assertNull(connector.poll(), "nothing is acknowledged before it is stored");
        assertEquals(72.00, lastTrade(), "nothing judged but unstored is shown");
        hold.rollback();
      }
      JsonObject g0 = ack(connector);
      JsonObject g1 = ack(connector);
      JsonObject g2 = ack(connector);
      assertEquals(
          List.of("g0", "g1", "g2"),
          List.of(g0.getString("id"), g1.getString("id"), g2.getString("id")));
      assertEquals(List.of("ACCEPTED"), statuses(g0));
      assertEquals(List.of("ACCEPTED", "STORE_REFUSED", "ACCEPTED"), statuses(g1));
      assertEquals(List.of("ACCEPTED"), statuses(g2), "judged again, after g1's refusal");
      assertEquals("1,2,3,5,6", seqs(source));
      assertEquals(72.40, lastTrade());
    }
  }

  @Test
  @DisplayName(
      "a group stored while a later one is still being written shows its own prices, not the later"
          + " group's")
  void aStoredGroupShowsNothingOfALaterUnstoredOne() throws Exception {
    try (WsClient first = connector("pipe-first");
        WsClient second = connector("pipe-second")) {
      try (Connection holdFirst = holdStatement("ingest:pipe-first", 2);
          Connection holdSecond = holdCommit("ingest:pipe-second")) {
        first.send(batch("a", Ticks.cea(2, 72.10, 10)));
        awaitGroups(1, 0);
        second.send(batch("b", Ticks.cea(2, 72.20, 10)));
        awaitGroups(1, 1); // b written on top of a, waiting to commit
        holdFirst.rollback(); // a is written and commits; b's commit then waits on its source row
        assertEquals(List.of("ACCEPTED"), statuses(ack(first)));
        assertEquals(72.10, lastTrade(), "the market as of the stored group, not of the later one");
        assertNull(second.poll(), "the later group is not acknowledged before it is stored");
        holdSecond.commit();
      }
      assertEquals(List.of("ACCEPTED"), statuses(ack(second)));
      assertEquals(72.20, lastTrade());
    }
  }

  @Test
  @DisplayName(
      "the journal keeps the order judged though groups are written side by side, so a quote"
          + " replayed from it up to a tick sees no tick judged after that one")
  void theJournalKeepsTheOrderJudged() throws Exception {
    try (WsClient first = connector("pipe-order-a");
        WsClient second = connector("pipe-order-b")) {
      try (Connection hold = holdStatement("ingest:pipe-order-a", 2)) {
        first.send(batch("a", Ticks.cea(2, 72.10, 10), Ticks.cea(3, 72.20, 10)));
        awaitGroups(1, 0); // a's statement waits at its first row, its second not yet written
        second.send(batch("b", Ticks.cea(2, 72.30, 10)));
        awaitGroups(1, 1); // b, judged after a, written while a waits
        hold.rollback();
      }
      assertEquals(List.of("ACCEPTED", "ACCEPTED"), statuses(ack(first)));
      assertEquals(List.of("ACCEPTED"), statuses(ack(second)));
      assertEquals(
          "ingest:pipe-order-a/2,ingest:pipe-order-a/3,ingest:pipe-order-b/2",
          text(
              "SELECT string_agg(source || '/' || seq, ',' ORDER BY id) FROM ticks"
                  + " WHERE source LIKE 'ingest:pipe-order-%' AND seq > 1"),
          "the journal's order (id) is the order judged");
      Pool pool =
          PgBuilder.pool()
              .connectingTo(PgConnectOptions.fromUri(pgUrl()))
              .using(node.gateway().vertx())
              .build();
      try {
        Instrument cea = Instruments.seed().find("CEA").orElseThrow();
        Quote replayed =
            new MarketReplay(pool, TradingCalendar.alwaysOpen())
                .quoteAt(cea, "ingest:pipe-order-a", 3, MarkBasis.LAST, Instant.now())
                .await(10, TimeUnit.SECONDS);
        assertEquals(72.20, replayed.lastTrade(), "b, judged after a's last tick, is not in a's");
      } finally {
        pool.close();
      }
    }
  }

  /** The next frame, which must be an acknowledgement. */
  private static JsonObject ack(WsClient connector) throws InterruptedException {
    JsonObject frame = connector.next(10);
    assertEquals("ack", frame.getString("type"), frame.encode());
    return frame;
  }

  @Test
  @DisplayName(
      "a group judged after one whose write fails is taken back: neither is stored or shown, a"
          + " duplicate of the unstored tick is not told so, all are told to resend, and the"
          + " resends are stored once")
  void aGroupJudgedAfterAFailedWriteIsTakenBack() throws Exception {
    try (WsClient connector = connector("pipe-failed")) {
      String source = "ingest:pipe-failed";
      try (Connection hold = holdStatement(source, 2)) {
        connector.send(batch("g0", Ticks.cea(2, 72.10, 10)));
        int first = awaitGroups(1, 0).get(0);
        // g0 sent again before its answer: judged DUPLICATE of a tick not stored yet, it must wait.
        connector.send(batch("g0-early-resend", Ticks.cea(2, 72.10, 10)));
        connector.send(batch("g1", Ticks.cea(3, 72.20, 10)));
        awaitGroups(1, 1); // g1 written, so the resend before it was judged too
        // The older group's connection dies under it (a database restart, a network cut).
        try (Statement statement = hold.createStatement()) {
          statement.executeQuery("SELECT pg_terminate_backend(" + first + ")");
        }
        hold.rollback();
      }
      for (String id : List.of("g0", "g0-early-resend", "g1")) {
        JsonObject error = connector.next(10);
        assertEquals("error", error.getString("type"), error.encode());
        assertEquals("journal-unavailable", error.getString("code"), error.encode());
        assertEquals(id, error.getString("id"), error.encode());
      }
      assertEquals("1", seqs(source), "nothing of either group is stored");
      assertEquals(72.00, lastTrade(), "nor shown");
      connector.send(batch("g0-again", Ticks.cea(2, 72.10, 10)));
      assertEquals(List.of("ACCEPTED"), statuses(ack(connector)));
      connector.send(batch("g1-again", Ticks.cea(3, 72.20, 10)));
      assertEquals(
          List.of("ACCEPTED"),
          statuses(ack(connector)),
          "a resend of a tick never stored is accepted, not a duplicate");
      assertEquals("1,2,3", seqs(source));
      assertEquals(72.20, lastTrade());
    }
  }
}
