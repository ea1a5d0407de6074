package io.greenpledge.book;

import io.greenpledge.market.MarkBasis;
import io.greenpledge.valuation.CoverageStatus;
import io.greenpledge.valuation.Lines;
import io.greenpledge.valuation.Money;
import io.greenpledge.valuation.Pledge;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pledge book in PostgreSQL. Bank scoping is the caller's: every read here is by id or bank.
 */
public final class PledgeRepository {

  private static final String COLUMNS =
      """
      id, bank, borrower, borrower_code, borrower_group, loan_id, instrument, quantity, certificate, right_start,
      right_expiry, outstanding, cash_margin, initial_ltv, warning_line, margin_call_line, disposal_line, mark_basis, state, status, version,
      created_at, updated_at""";

  private static final String INSERT =
      """
      INSERT INTO pledges (id, bank, borrower, loan_id, instrument, quantity, certificate, right_start, right_expiry,
        outstanding, initial_coverage, warning_line, margin_call_line, disposal_line, mark_basis, created_at, updated_at,
        initial_ltv, cash_margin, borrower_code, borrower_group)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17, $18, $19, $20)
      RETURNING
      """
          + COLUMNS;

  private static final String FIND = "SELECT " + COLUMNS + " FROM pledges WHERE id = $1";

  private static final String LIST_BANK =
      "SELECT "
          + COLUMNS
          + " FROM pledges WHERE bank = $1 AND id > $2 AND ($3::text IS NULL OR state = $3) ORDER BY id LIMIT $4";

  private static final String LIST_ALL =
      "SELECT "
          + COLUMNS
          + " FROM pledges WHERE id > $1 AND ($2::text IS NULL OR state = $2) ORDER BY id LIMIT $3";

  private static final String UPDATE =
      """
      UPDATE pledges SET outstanding = $3, initial_coverage = $4, warning_line = $5, margin_call_line = $6,
        disposal_line = $7, initial_ltv = $8, quantity = $9, cash_margin = $10, version = version + 1, updated_at = now()
      WHERE id = $1 AND version = $2 AND state = 'ACTIVE'
      RETURNING
      """
          + COLUMNS;

  private static final String RELEASE =
      """
      UPDATE pledges SET state = 'RELEASED', released_at = now(), updated_at = now(), version = version + 1
      WHERE id = $1 AND state = 'ACTIVE'
      RETURNING
      """
          + COLUMNS;

  private static final String ACTIVE =
      "SELECT " + COLUMNS + " FROM pledges WHERE state = 'ACTIVE' ORDER BY id";

  /** Live pledges holding the certificate, as their first or as an added one. */
  private static final String SAME_CERTIFICATE =
      "SELECT "
          + COLUMNS
          + " FROM pledges WHERE state = 'ACTIVE' AND id <> $2 AND (certificate = $1"
          + " OR id IN (SELECT pledge_id FROM pledge_certificates WHERE certificate = $1))";

  private static final String CONFLICTS =
      """
      WITH held AS (
        SELECT certificate, id, bank, instrument, created_at AS since FROM pledges WHERE state = 'ACTIVE'
        UNION ALL
        SELECT c.certificate, p.id, p.bank, p.instrument, c.added_at
        FROM pledge_certificates c JOIN pledges p ON p.id = c.pledge_id WHERE p.state = 'ACTIVE')
      SELECT certificate, array_agg(id ORDER BY since) AS ids, array_agg(bank ORDER BY since) AS banks,
             array_agg(instrument ORDER BY since) AS instruments, min(since) AS since
      FROM held GROUP BY certificate HAVING count(*) > 1 ORDER BY certificate
      """;

  private static final String SAVE_STATUS =
      """
      UPDATE pledges p SET status = u.status FROM unnest($1::text[], $2::text[]) AS u(id, status) WHERE p.id = u.id
      """;

  private static final String COUNT = "SELECT count(*) FROM pledges";

  /** A certificate pledged in more than one live pledge, across banks. */
  public record Conflict(
      String certificate,
      List<String> pledgeIds,
      List<String> banks,
      List<String> instruments,
      java.time.Instant since) {}

  /** A pledge with the status it had when last persisted (null before its first valuation). */
  public record Stored(Pledge pledge, CoverageStatus status) {}

  private final SqlClient pool;

  /**
   * @param pool a pool, or one connection of a transaction (an audited write)
   */
  public PledgeRepository(SqlClient pool) {
    this.pool = pool;
  }

  public Future<Pledge> insert(Pledge p) {
    return pool.preparedQuery(INSERT)
        .execute(insertParams(p))
        .map(rows -> pledge(rows.iterator().next()));
  }

  /** Inserts many pledges in one round trip (demo seeding). */
  public Future<Void> insertAll(List<Pledge> pledges) {
    return pool.preparedQuery(INSERT)
        .executeBatch(pledges.stream().map(PledgeRepository::insertParams).toList())
        .mapEmpty();
  }

  private static Tuple insertParams(Pledge p) {
    return Tuple.tuple()
        .addString(p.id())
        .addString(p.bank())
        .addString(p.borrower())
        .addString(p.loanId())
        .addString(p.instrument())
        .addValue(BigDecimal.valueOf(p.quantity()))
        .addString(p.certificate())
        .addLocalDate(p.rightStart())
        .addLocalDate(p.rightExpiry())
        .addValue(Money.ofCents(p.outstandingCents()))
        .addDouble(p.lines().initialCoverage())
        .addDouble(p.lines().warning())
        .addDouble(p.lines().marginCall())
        .addDouble(p.lines().disposal())
        .addString(p.basis().name())
        .addOffsetDateTime(p.createdAt().atOffset(java.time.ZoneOffset.UTC))
        .addValue(BigDecimal.valueOf(p.lines().initialLtv()))
        .addValue(Money.ofCents(p.cashMarginCents()))
        .addString(p.borrowerCode())
        .addString(p.borrowerGroup());
  }

  public Future<Optional<Pledge>> find(String id) {
    return pool.preparedQuery(FIND)
        .execute(Tuple.of(id))
        .map(rows -> first(rows).map(PledgeRepository::pledge));
  }

  /** Pledges ordered by id after the cursor; bank = empty means every bank (regulator). */
  public Future<List<Pledge>> list(
      Optional<String> bank, String after, Optional<Pledge.State> state, int limit) {
    String stateName = state.map(Enum::name).orElse(null);
    Future<RowSet<Row>> rows =
        bank.isPresent()
            ? pool.preparedQuery(LIST_BANK).execute(Tuple.of(bank.get(), after, stateName, limit))
            : pool.preparedQuery(LIST_ALL).execute(Tuple.of(after, stateName, limit));
    return rows.map(PledgeRepository::pledges);
  }

  /** What a bank may change on a live pledge. */
  public record Terms(double quantity, long outstandingCents, long cashMarginCents, Lines lines) {}

  /** Optimistic update: empty when the version moved on or the pledge was released. */
  public Future<Optional<Pledge>> update(String id, long version, Terms terms) {
    Lines lines = terms.lines();
    Tuple params =
        Tuple.tuple()
            .addString(id)
            .addLong(version)
            .addValue(Money.ofCents(terms.outstandingCents()))
            .addDouble(lines.initialCoverage())
            .addDouble(lines.warning())
            .addDouble(lines.marginCall())
            .addDouble(lines.disposal())
            .addValue(BigDecimal.valueOf(lines.initialLtv()))
            .addValue(BigDecimal.valueOf(terms.quantity()))
            .addValue(Money.ofCents(terms.cashMarginCents()));
    return pool.preparedQuery(UPDATE)
        .execute(params)
        .map(rows -> first(rows).map(PledgeRepository::pledge));
  }

  public Future<Optional<Pledge>> release(String id) {
    return pool.preparedQuery(RELEASE)
        .execute(Tuple.of(id))
        .map(rows -> first(rows).map(PledgeRepository::pledge));
  }

  public Future<List<Stored>> active() {
    return pool.query(ACTIVE)
        .execute()
        .map(
            rows -> {
              List<Stored> stored = new ArrayList<>(rows.size());
              rows.forEach(
                  row ->
                      stored.add(
                          new Stored(
                              pledge(row),
                              row.getString("status") == null
                                  ? null
                                  : CoverageStatus.valueOf(row.getString("status")))));
              return stored;
            });
  }

  /** A certificate added to a live pledge, with the units it brings. */
  public record AddedCertificate(
      String certificate, BigDecimal quantity, java.time.Instant addedAt) {}

  /** Records the certificate of units added to a pledge (in the update's transaction). */
  public Future<Void> addCertificate(
      String pledgeId, String certificate, BigDecimal quantity, java.time.Instant at) {
    return pool.preparedQuery(
            "INSERT INTO pledge_certificates (pledge_id, certificate, quantity, added_at) VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(pledgeId, certificate, quantity, at.atOffset(java.time.ZoneOffset.UTC)))
        .mapEmpty();
  }

  public Future<List<AddedCertificate>> addedCertificates(String pledgeId) {
    return pool.preparedQuery(
            "SELECT certificate, quantity, added_at FROM pledge_certificates WHERE pledge_id = $1 ORDER BY added_at, certificate")
        .execute(Tuple.of(pledgeId))
        .map(
            rows -> {
              List<AddedCertificate> added = new ArrayList<>();
              rows.forEach(
                  row ->
                      added.add(
                          new AddedCertificate(
                              row.getString("certificate"),
                              row.getBigDecimal("quantity"),
                              row.getOffsetDateTime("added_at").toInstant())));
              return added;
            });
  }

  public Future<List<Pledge>> sameCertificate(String certificate, String exceptId) {
    return pool.preparedQuery(SAME_CERTIFICATE)
        .execute(Tuple.of(certificate, exceptId))
        .map(PledgeRepository::pledges);
  }

  /** A borrower (by credit code) with live pledges at more than one bank. */
  public record SharedBorrower(
      String code, String name, String group, List<String> pledgeIds, List<String> banks) {}

  public Future<List<SharedBorrower>> sharedBorrowers() {
    return pool.query(
            """
            SELECT borrower_code, min(borrower) AS borrower, min(borrower_group) AS borrower_group,
                   array_agg(id ORDER BY bank, id) AS ids, array_agg(bank ORDER BY bank, id) AS banks
            FROM pledges WHERE state = 'ACTIVE' AND borrower_code IS NOT NULL
            GROUP BY borrower_code HAVING count(DISTINCT bank) > 1 ORDER BY borrower_code
            """)
        .execute()
        .map(
            rows -> {
              List<SharedBorrower> shared = new ArrayList<>();
              rows.forEach(
                  row ->
                      shared.add(
                          new SharedBorrower(
                              row.getString("borrower_code"),
                              row.getString("borrower"),
                              row.getString("borrower_group"),
                              List.of(row.getArrayOfStrings("ids")),
                              List.of(row.getArrayOfStrings("banks")))));
              return shared;
            });
  }

  public Future<List<Conflict>> conflicts() {
    return pool.query(CONFLICTS)
        .execute()
        .map(
            rows -> {
              List<Conflict> conflicts = new ArrayList<>();
              rows.forEach(
                  row ->
                      conflicts.add(
                          new Conflict(
                              row.getString("certificate"),
                              List.of(row.getArrayOfStrings("ids")),
                              List.of(row.getArrayOfStrings("banks")),
                              List.of(row.getArrayOfStrings("instruments")),
                              row.getOffsetDateTime("since").toInstant())));
              return conflicts;
            });
  }

  /** Persists the latest status of pledges in one statement, for hysteresis across restarts. */
  public Future<Void> saveStatuses(Map<String, CoverageStatus> statuses) {
    if (statuses.isEmpty()) {
      return Future.succeededFuture();
    }
    String[] ids = statuses.keySet().toArray(String[]::new);
    String[] values = new String[ids.length];
    for (int i = 0; i < ids.length; i++) {
      values[i] = statuses.get(ids[i]).name();
    }
    // Tuple.of(ids, values) would spread the second array as varargs: one value per status
    return pool.preparedQuery(SAVE_STATUS)
        .execute(Tuple.tuple().addValue(ids).addValue(values))
        .mapEmpty();
  }

  public Future<Long> count() {
    return pool.query(COUNT).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  private static Optional<Row> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
  }

  private static List<Pledge> pledges(RowSet<Row> rows) {
    List<Pledge> pledges = new ArrayList<>(rows.size());
    rows.forEach(row -> pledges.add(pledge(row)));
    return pledges;
  }

  static Pledge pledge(Row row) {
    Lines lines =
        new Lines(
            row.getBigDecimal("initial_ltv").doubleValue(),
            row.getDouble("warning_line"),
            row.getDouble("margin_call_line"),
            row.getDouble("disposal_line"));
    return new Pledge(
        row.getString("id"),
        row.getString("bank"),
        row.getString("borrower"),
        row.getString("borrower_code"),
        row.getString("borrower_group"),
        row.getString("loan_id"),
        row.getString("instrument"),
        row.getBigDecimal("quantity").doubleValue(),
        row.getString("certificate"),
        row.getLocalDate("right_start"),
        row.getLocalDate("right_expiry"),
        row.getBigDecimal("outstanding").movePointRight(2).longValueExact(),
        row.getBigDecimal("cash_margin").movePointRight(2).longValueExact(),
        lines,
        MarkBasis.valueOf(row.getString("mark_basis")),
        Pledge.State.valueOf(row.getString("state")),
        row.getLong("version"),
        row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("updated_at").toInstant());
  }
}
