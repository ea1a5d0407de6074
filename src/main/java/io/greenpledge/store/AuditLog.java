package io.greenpledge.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The audit trail: append-only and hash-chained. An entry is appended in the transaction of the
 * write it records (so there is no write without its entry, and no entry without its write), under
 * one advisory lock, which puts the entries in id order; its hash is SHA-256 over the previous
 * entry's hash and every field as stored. {@link #verify} recomputes the chain: a changed, removed
 * or inserted entry breaks it at that entry. The last entry's hash (the head) is what an operator
 * anchors elsewhere to also detect a truncated tail.
 */
public final class AuditLog {

  /** The hash before the first entry. */
  public static final String GENESIS = "0".repeat(64);

  /** Who asked, from where, in which request. */
  public record Actor(String subject, String requestId, String clientAddress) {
    public static Actor system(String what) {
      return new Actor(what, "-", "local");
    }
  }

  /**
   * One write to record.
   *
   * @param bank whose data it touched; null for market-wide writes (imports)
   * @param before the entity's JSON before, or null when it did not exist
   * @param after the entity's JSON after, or null when it no longer exists
   */
  public record Draft(
      String bank, String action, String entity, String entityId, String before, String after) {}

  /** A recorded entry. */
  public record Entry(
      long id,
      String bank,
      Instant at,
      String actor,
      String action,
      String entity,
      String entityId,
      String requestId,
      String clientAddress,
      String before,
      String after,
      String prevHash,
      String hash) {

    /** The hash this entry should have after {@code previous}. */
    String computeHash(String previous) {
      return sha256(
          String.join(
              "\n",
              previous,
              Long.toString(id),
              String.valueOf(bank),
              at.toString(),
              actor,
              action,
              entity,
              entityId,
              requestId,
              clientAddress,
              String.valueOf(before),
              String.valueOf(after)));
    }
  }

  /** The chain's state: intact up to {@code entries}, or broken at {@code brokenAt}. */
  public record Verdict(long entries, String head, Optional<Long> brokenAt, String reason) {
    public boolean intact() {
      return brokenAt.isEmpty();
    }
  }

  private static final String INSERT =
      """
      INSERT INTO audit_log (id, bank, at, actor, action, entity, entity_id, request_id,
                             client_address, before_state, after_state, prev_hash, hash)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
      """;
  private static final int PAGE = 1000;

  private final Pool pool;

  public AuditLog(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  /** Appends an entry on {@code connection}, inside the caller's transaction. */
  public static Future<Entry> append(SqlConnection connection, Actor actor, Draft draft) {
    return connection
        .query("SELECT pg_advisory_xact_lock(hashtext('audit-chain'))")
        .execute()
        .compose(
            locked ->
                connection
                    .query(
                        "SELECT (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) AS head, "
                            + "nextval('audit_log_id_seq') AS id")
                    .execute())
        .compose(
            rows -> {
              Row row = rows.iterator().next();
              String previous = Optional.ofNullable(row.getString("head")).orElse(GENESIS);
              Entry unsigned =
                  new Entry(
                      row.getLong("id"),
                      draft.bank(),
                      Instant.now().truncatedTo(ChronoUnit.MICROS),
                      actor.subject(),
                      draft.action(),
                      draft.entity(),
                      draft.entityId(),
                      actor.requestId(),
                      actor.clientAddress(),
                      draft.before(),
                      draft.after(),
                      previous,
                      "");
              Entry entry = withHash(unsigned, unsigned.computeHash(previous));
              return connection
                  .preparedQuery(INSERT)
                  .execute(
                      Tuple.tuple()
                          .addLong(entry.id())
                          .addString(entry.bank())
                          .addOffsetDateTime(entry.at().atOffset(ZoneOffset.UTC))
                          .addString(entry.actor())
                          .addString(entry.action())
                          .addString(entry.entity())
                          .addString(entry.entityId())
                          .addString(entry.requestId())
                          .addString(entry.clientAddress())
                          .addString(entry.before())
                          .addString(entry.after())
                          .addString(entry.prevHash())
                          .addString(entry.hash()))
                  .map(entry);
            });
  }

  /** Records a write that has no transaction of its own (a token minted). */
  public Future<Entry> append(Actor actor, Draft draft) {
    return pool.withTransaction(connection -> append(connection, actor, draft));
  }

  /** A bank's entries (or, with no bank, every entry) after {@code id}, oldest first. */
  public Future<List<Entry>> after(Optional<String> bank, long id, int limit) {
    SqlClient client = pool;
    return (bank.isPresent()
            ? client
                .preparedQuery(
                    "SELECT * FROM audit_log WHERE bank = $1 AND id > $2 ORDER BY id LIMIT $3")
                .execute(Tuple.of(bank.get(), id, limit))
            : client
                .preparedQuery("SELECT * FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2")
                .execute(Tuple.of(id, limit)))
        .map(
            rows -> {
              List<Entry> entries = new ArrayList<>();
              rows.forEach(row -> entries.add(entry(row)));
              return entries;
            });
  }

  /** Recomputes the whole chain, a page at a time. */
  public Future<Verdict> verify() {
    return verifyFrom(0, GENESIS, 0);
  }

  private Future<Verdict> verifyFrom(long afterId, String previous, long checked) {
    return after(Optional.empty(), afterId, PAGE)
        .compose(
            page -> {
              String head = previous;
              long count = checked;
              for (Entry e : page) {
                if (!e.prevHash().equals(head)) {
                  return Future.succeededFuture(
                      new Verdict(
                          count,
                          head,
                          Optional.of(e.id()),
                          "its previous hash does not match the entry before it (an entry was removed or"
                              + " inserted)"));
                }
                if (!e.computeHash(head).equals(e.hash())) {
                  return Future.succeededFuture(
                      new Verdict(
                          count,
                          head,
                          Optional.of(e.id()),
                          "its fields do not match its hash (changed)"));
                }
                head = e.hash();
                count++;
              }
              return page.size() < PAGE
                  ? Future.succeededFuture(new Verdict(count, head, Optional.empty(), "intact"))
                  : verifyFrom(page.get(page.size() - 1).id(), head, count);
            });
  }

  private static Entry entry(Row row) {
    return new Entry(
        row.getLong("id"),
        row.getString("bank"),
        row.getOffsetDateTime("at").toInstant(),
        row.getString("actor"),
        row.getString("action"),
        row.getString("entity"),
        row.getString("entity_id"),
        row.getString("request_id"),
        row.getString("client_address"),
        row.getString("before_state"),
        row.getString("after_state"),
        row.getString("prev_hash"),
        row.getString("hash"));
  }

  private static Entry withHash(Entry e, String hash) {
    return new Entry(
        e.id(),
        e.bank(),
        e.at(),
        e.actor(),
        e.action(),
        e.entity(),
        e.entityId(),
        e.requestId(),
        e.clientAddress(),
        e.before(),
        e.after(),
        e.prevHash(),
        hash);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
