package io.greenpledge.api;

import io.greenpledge.book.ChangeRequestRepository;
import io.greenpledge.book.PledgeRepository;
import io.greenpledge.book.PledgeRepository.Terms;
import io.greenpledge.book.ValuationRepository;
import io.greenpledge.engine.Bus;
import io.greenpledge.engine.PledgeChange;
import io.greenpledge.engine.risk.ValuationBoard;
import io.greenpledge.limits.CreditCode;
import io.greenpledge.market.Instrument;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.MarkBasis;
import io.greenpledge.store.AuditLog;
import io.greenpledge.valuation.Lines;
import io.greenpledge.valuation.Pledge;
import io.greenpledge.valuation.Valuation;
import io.greenpledge.wire.ValuationJson;
import io.greenpledge.wire.Wire;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The pledge book over REST. Another bank's pledge answers 404, exactly like a missing one. */
final class PledgeApi {

  /** The risk engine answers once the change is valued; past this the API answers 503. */
  private static final java.time.Duration BOOK_TIMEOUT = java.time.Duration.ofSeconds(30);

  private final Vertx vertx;
  private final Instruments catalog;
  private final PledgeRepository pledges;
  private final ValuationRepository history;
  private final ValuationBoard board;
  private final MarkBasis defaultBasis;

  /** Where a valuation as of a past day reads the market of that day from. */
  record Past(
      io.greenpledge.store.MarketRepository market,
      io.greenpledge.store.HistoryRepository bars,
      io.greenpledge.market.TradingCalendar calendar) {}

  private final Past past;
  private final AuditLog audit;
  private final FourEyes fourEyes;
  private final io.greenpledge.book.MarginCallRepository calls;
  private final Eligibility eligibility;

  /**
   * The latest valuations' JSON, encoded once per valuation rather than once per request: a
   * valuation changes only when its mark does, and is read far more often. Direct-mapped by pledge
   * id (a slot holds the last valuation encoded there), one per event loop (this API object is its
   * verticle's), so bounded: {@value #ENCODED_SLOTS} bodies of about 1.5 kB.
   */
  private static final int ENCODED_SLOTS = 4_096;

  /** A valuation with its JSON; one object per slot, so a slot is never read half replaced. */
  private record Encoded(Valuation valuation, byte[] json) {}

  private final Encoded[] encoded = new Encoded[ENCODED_SLOTS];

  PledgeApi(
      Vertx vertx,
      Instruments catalog,
      PledgeRepository pledges,
      ValuationRepository history,
      ValuationBoard board,
      MarkBasis defaultBasis,
      Past past,
      AuditLog audit,
      FourEyes fourEyes,
      io.greenpledge.book.MarginCallRepository calls,
      Eligibility eligibility) {
    this.eligibility = eligibility;
    this.calls = calls;
    this.fourEyes = fourEyes;
    this.past = past;
    this.audit = audit;
    this.vertx = vertx;
    this.catalog = catalog;
    this.pledges = pledges;
    this.history = history;
    this.board = board;
    this.defaultBasis = defaultBasis;
  }

  void listPledges(RoutingContext ctx) {
    Scope scope = Scope.of(Requests.caller(ctx));
    Optional<String> bank =
        scope.everyBank() ? Optional.ofNullable(ctx.request().getParam("bank")) : scope.bank();
    int limit = Requests.intParam(ctx, "limit", 100);
    Optional<Pledge.State> state =
        Optional.ofNullable(ctx.request().getParam("state")).map(Pledge.State::valueOf);
    pledges
        .list(bank, Optional.ofNullable(ctx.request().getParam("after")).orElse(""), state, limit)
        .onSuccess(
            page -> {
              String next = page.size() == limit ? page.get(page.size() - 1).id() : null;
              Requests.sendJson(
                  ctx, Wire.page(page.stream().map(this::withValuation).toList(), next));
            })
        .onFailure(ctx::fail);
  }

  void createPledge(RoutingContext ctx) {
    Pledge pledge;
    try {
      pledge = newPledge(ctx.body().asJsonObject(), Requests.caller(ctx).bank().orElseThrow());
    } catch (IllegalArgumentException e) {
      Problems.badRequest(ctx, e.getMessage());
      return;
    }
    // The bank's eligibility schedule admits it, or the answer names the rule it breaks.
    eligibility
        .of(pledge.bank())
        .onSuccess(
            limits ->
                eligibility
                    .breach(limits, pledge)
                    .ifPresentOrElse(
                        breach ->
                            Problems.send(
                                ctx,
                                422,
                                "ineligible",
                                "Not eligible under the bank's schedule",
                                breach.rule() + ": " + breach.detail()),
                        () -> register(ctx, pledge)))
        .onFailure(ctx::fail);
  }

  private void register(RoutingContext ctx, Pledge pledge) {
    audited(
            ctx,
            book -> book.insert(pledge),
            stored ->
                Optional.of(
                    new AuditLog.Draft(
                        stored.bank(),
                        "pledge.create",
                        "pledge",
                        stored.id(),
                        null,
                        ValuationJson.pledge(stored).encode())))
        .compose(
            stored ->
                pledges
                    .sameCertificate(stored.certificate(), stored.id())
                    .compose(others -> change(ctx, stored, PledgeChange.Reason.CREATED, others)))
        .onSuccess(
            json -> {
              ctx.response()
                  .setStatusCode(201)
                  .putHeader("Location", "/api/v1/pledges/" + pledge.id());
              Requests.sendJson(ctx, json);
            })
        .onFailure(
            e -> {
              if (e instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                Problems.send(
                    ctx,
                    409,
                    "duplicate-pledge",
                    "Pledge already registered",
                    "loan "
                        + pledge.loanId()
                        + " already has a live pledge of certificate "
                        + pledge.certificate());
              } else {
                ctx.fail(e);
              }
            });
  }

  /** One pledge with its valuation and the certificates added to it since it was registered. */
  void getPledge(RoutingContext ctx) {
    visiblePledge(ctx)
        .compose(
            found ->
                found.isEmpty()
                    ? Future.succeededFuture()
                    : pledges
                        .addedCertificates(found.get().id())
                        .map(
                            added -> {
                              Requests.sendJson(
                                  ctx,
                                  withValuation(found.get())
                                      .put("addedCertificates", ValuationJson.added(added)));
                              return null;
                            }))
        .onFailure(ctx::fail);
  }

  void updatePledge(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    visiblePledge(ctx)
        .onSuccess(
            found ->
                found.ifPresent(
                    current -> {
                      if (!current.active()) {
                        released(ctx, "a released pledge cannot be changed");
                        return;
                      }
                      Long version = body.getLong("version");
                      if (version != null && version != current.version()) {
                        Problems.send(
                            ctx,
                            409,
                            "version-conflict",
                            "Pledge changed meanwhile",
                            "the pledge is at version "
                                + current.version()
                                + ", not "
                                + version
                                + "; reload it and retry");
                        return;
                      }
                      Terms terms;
                      Optional<String> added;
                      try {
                        terms = terms(body, current);
                        added = addedCertificate(body, current, terms);
                      } catch (IllegalArgumentException | ClassCastException e) {
                        Problems.badRequest(ctx, e.getMessage());
                        return;
                      }
                      fourEyes
                          .required(current.bank())
                          .onSuccess(
                              required -> {
                                Optional<String> needsChecker =
                                    checkerNeeded(required, body, current, terms);
                                if (needsChecker.isEmpty()) {
                                  applyUpdate(
                                      ctx,
                                      current,
                                      current.version(),
                                      terms,
                                      added,
                                      Optional.empty());
                                  return;
                                }
                                JsonObject payload =
                                    new JsonObject()
                                        .put("version", current.version())
                                        .put("outstanding", body.getValue("outstanding"))
                                        .put("quantity", body.getValue("quantity"))
                                        .put("cashMargin", body.getValue("cashMargin"))
                                        .put("addedCertificate", body.getValue("addedCertificate"))
                                        .put("lines", body.getJsonObject("lines"));
                                fourEyes.request(
                                    ctx, current.bank(), needsChecker.get(), current.id(), payload);
                              })
                          .onFailure(ctx::fail);
                    }));
  }

  /** The first action of this change that needs a second risk-admin, if any. */
  private static Optional<String> checkerNeeded(
      java.util.Set<String> required, JsonObject body, Pledge current, Terms terms) {
    if (body.containsKey("lines") && required.contains(FourEyes.PLEDGE_LINES)) {
      return Optional.of(FourEyes.PLEDGE_LINES);
    }
    if (terms.quantity() < current.quantity() && required.contains(FourEyes.PLEDGE_QUANTITY_DOWN)) {
      return Optional.of(FourEyes.PLEDGE_QUANTITY_DOWN);
    }
    if (terms.cashMarginCents() < current.cashMarginCents()
        && required.contains(FourEyes.PLEDGE_CASH_DOWN)) {
      return Optional.of(FourEyes.PLEDGE_CASH_DOWN);
    }
    return Optional.empty();
  }

  /**
   * Units added to a pledge come under their own registry certificate ({@code addedCertificate}):
   * required with a quantity increase, refused without one.
   */
  private static Optional<String> addedCertificate(JsonObject body, Pledge current, Terms terms) {
    Object given = body.getValue("addedCertificate");
    boolean more = terms.quantity() > current.quantity();
    if (given == null) {
      if (more) {
        throw new IllegalArgumentException(
            "more units pledged come under their own registry certificate: give addedCertificate");
      }
      return Optional.empty();
    }
    if (!more) {
      throw new IllegalArgumentException(
          "addedCertificate goes with a quantity increase (the units it adds)");
    }
    String certificate = given.toString().strip();
    if (certificate.isEmpty() || certificate.equals(current.certificate())) {
      throw new IllegalArgumentException(
          "addedCertificate must name another certificate than the pledge's own");
    }
    return Optional.of(certificate);
  }

  /** The terms a PATCH (or an approved request's payload) asks for; an absent field stays. */
  private static Terms terms(JsonObject body, Pledge current) {
    Object outstanding = body.getValue("outstanding");
    Object quantity = body.getValue("quantity");
    Object cash = body.getValue("cashMargin");
    JsonObject lines = body.getJsonObject("lines");
    return new Terms(
        quantity != null ? fourDecimals(((Number) quantity).doubleValue()) : current.quantity(),
        outstanding != null ? cents("outstanding", outstanding) : current.outstandingCents(),
        cash != null ? cents("cashMargin", cash) : current.cashMarginCents(),
        lines != null ? lines(lines) : current.lines());
  }

  /**
   * Writes an update (and its audit entry) then values it; {@code guard} runs first in the same
   * transaction (an approval deciding its change request), so a refused write undoes it.
   */
  /**
   * Writes an update, the certificate of any units it adds, and its audit entry, then values it.
   */
  private void applyUpdate(
      RoutingContext ctx,
      Pledge current,
      long version,
      Terms terms,
      Optional<String> added,
      Optional<java.util.function.Function<io.vertx.sqlclient.SqlConnection, Future<Void>>> guard) {
    BigDecimal addedUnits =
        BigDecimal.valueOf(terms.quantity()).subtract(BigDecimal.valueOf(current.quantity()));
    audited(
            ctx,
            guard,
            book ->
                book.update(current.id(), version, terms)
                    .compose(
                        updated ->
                            updated.isPresent() && added.isPresent()
                                ? book.addCertificate(
                                        current.id(), added.get(), addedUnits, Instant.now())
                                    .map(updated)
                                : Future.succeededFuture(updated)),
            updated ->
                updated.map(
                    p ->
                        new AuditLog.Draft(
                            p.bank(),
                            "pledge.update",
                            "pledge",
                            p.id(),
                            ValuationJson.pledge(current).encode(),
                            ValuationJson.pledge(p)
                                .put("addedCertificate", added.orElse(null))
                                .encode())))
        .compose(
            updated ->
                updated.isEmpty()
                    ? Future.failedFuture(new IllegalStateException("concurrent"))
                    : added
                        .map(certificate -> pledges.sameCertificate(certificate, current.id()))
                        .orElse(Future.succeededFuture(List.of()))
                        .compose(
                            others ->
                                change(ctx, updated.get(), PledgeChange.Reason.UPDATED, others)))
        .onSuccess(json -> Requests.sendJson(ctx, json))
        .onFailure(e -> conflictOrFail(ctx, e));
  }

  void releasePledge(RoutingContext ctx) {
    visiblePledge(ctx)
        .onSuccess(
            found ->
                found.ifPresent(
                    current -> {
                      if (!current.active()) {
                        released(ctx, "the pledge was already released");
                        return;
                      }
                      fourEyes
                          .required(current.bank())
                          .compose(
                              required ->
                                  required.contains(FourEyes.PLEDGE_RELEASE)
                                      ? calls.live(current.id())
                                      : Future.succeededFuture(
                                          Optional.<io.greenpledge.calls.MarginCall>empty()))
                          .onSuccess(
                              call -> {
                                if (call.isPresent()) {
                                  fourEyes.request(
                                      ctx,
                                      current.bank(),
                                      FourEyes.PLEDGE_RELEASE,
                                      current.id(),
                                      new JsonObject()
                                          .put("version", current.version())
                                          .put("callId", call.get().id()));
                                } else {
                                  applyRelease(ctx, current, Optional.empty());
                                }
                              })
                          .onFailure(ctx::fail);
                    }));
  }

  private void applyRelease(
      RoutingContext ctx,
      Pledge current,
      Optional<java.util.function.Function<io.vertx.sqlclient.SqlConnection, Future<Void>>> guard) {
    audited(
            ctx,
            guard,
            book -> book.release(current.id()),
            released -> releaseEntry(current, released))
        .onSuccess(
            released ->
                released.ifPresentOrElse(
                    p ->
                        change(ctx, p, PledgeChange.Reason.RELEASED, List.of())
                            .onSuccess(json -> Requests.sendJson(ctx, json))
                            .onFailure(ctx::fail),
                    () -> released(ctx, "the pledge was already released")))
        .onFailure(e -> conflictOrFail(ctx, e));
  }

  /**
   * Releases the pledge after {@code alongside} in the same transaction (a disposal decision) and
   * tells the risk engine; fails with "concurrent" when the pledge was released meanwhile.
   */
  Future<Pledge> releaseAlongside(
      RoutingContext ctx,
      Pledge current,
      java.util.function.Function<io.vertx.sqlclient.SqlConnection, Future<Void>> alongside) {
    return audited(
            ctx,
            Optional.of(alongside),
            book -> book.release(current.id()),
            released -> releaseEntry(current, released))
        .compose(
            released ->
                change(ctx, released.orElseThrow(), PledgeChange.Reason.RELEASED, List.of())
                    .map(released.get()));
  }

  private static Optional<AuditLog.Draft> releaseEntry(Pledge before, Optional<Pledge> released) {
    return released.map(
        p ->
            new AuditLog.Draft(
                p.bank(),
                "pledge.release",
                "pledge",
                p.id(),
                ValuationJson.pledge(before).encode(),
                ValuationJson.pledge(p).encode()));
  }

  /**
   * Applies an approved change request: the decision (by the checker) and the change are one
   * transaction, so a pledge changed since the request leaves the request pending and answers 409.
   */
  void applyChangeRequest(RoutingContext ctx, ChangeRequestRepository.ChangeRequest request) {
    java.util.function.Function<io.vertx.sqlclient.SqlConnection, Future<Void>> guard =
        FourEyes.approval(ctx, request);
    pledges
        .find(request.entityId())
        .onSuccess(
            found -> {
              if (found.isEmpty() || !found.get().active()) {
                released(ctx, "the pledge is released");
                return;
              }
              Pledge current = found.get();
              long version = request.payload().getLong("version");
              if (request.action().equals(FourEyes.PLEDGE_RELEASE)) {
                applyRelease(ctx, current, Optional.of(guard));
                return;
              }
              Terms terms;
              Optional<String> added;
              try {
                terms = terms(request.payload(), current);
                added = addedCertificate(request.payload(), current, terms);
              } catch (IllegalArgumentException e) {
                Problems.badRequest(ctx, e.getMessage());
                return;
              }
              applyUpdate(ctx, current, version, terms, added, Optional.of(guard));
            })
        .onFailure(ctx::fail);
  }

  /** 409: a released pledge is not changed any more. */
  private static void released(RoutingContext ctx, String detail) {
    Problems.send(ctx, 409, "released", "Pledge released", detail);
  }

  private static void conflictOrFail(RoutingContext ctx, Throwable e) {
    if (e instanceof PgException pg && "23505".equals(pg.getSqlState())) {
      Problems.send(
          ctx,
          409,
          "duplicate-certificate",
          "Certificate already added",
          "this pledge already holds the added certificate");
    } else if (e instanceof IllegalStateException && "decided".equals(e.getMessage())) {
      Problems.send(
          ctx,
          409,
          "request-decided",
          "Request decided",
          "the request was decided or expired meanwhile");
    } else if (e instanceof IllegalStateException && "concurrent".equals(e.getMessage())) {
      Problems.send(
          ctx,
          409,
          "version-conflict",
          "Pledge changed meanwhile",
          "the pledge changed since this was asked; reload it and ask again");
    } else {
      ctx.fail(e); // a database outage is 503 (Problems.handleFailure), not a conflict
    }
  }

  void getValuation(RoutingContext ctx) {
    String asOf = ctx.request().getParam("asOf");
    if (asOf != null) {
      valuationAsOf(ctx, asOf);
      return;
    }
    String id = ctx.pathParam("id");
    Optional<Valuation> valuation =
        board.get(id).filter(v -> Scope.of(Requests.caller(ctx)).sees(v.bank()));
    if (valuation.isEmpty()) {
      Problems.notFound(ctx, "no live pledge " + id + " in your book");
      return;
    }
    Valuation v = valuation.get();
    int slot = v.pledgeId().hashCode() & (ENCODED_SLOTS - 1);
    Encoded cached = encoded[slot];
    // the book hands out the same object while a valuation holds; an equal one (built again by
    // another reader) is the same JSON
    if (cached == null || (cached.valuation() != v && !cached.valuation().equals(v))) {
      cached =
          new Encoded(
              v, ValuationJson.valuation(v, instrument(v.instrument())).toBuffer().getBytes());
      encoded[slot] = cached;
    }
    Requests.sendJson(ctx, io.vertx.core.buffer.Buffer.buffer(cached.json()));
  }

  /**
   * {@code ?asOf=2024-03-15}: the pledge valued with only what was known at the end of that day
   * (its bars up to it, its last trade before the close), see {@link
   * io.greenpledge.valuation.PastValuation}.
   */
  private void valuationAsOf(RoutingContext ctx, String raw) {
    LocalDate day;
    try {
      day = LocalDate.parse(raw);
    } catch (DateTimeParseException e) {
      Problems.badRequest(ctx, "asOf is a date, e.g. 2024-03-15");
      return;
    }
    LocalDate today = past.calendar().tradingDay(Instant.now());
    if (!day.isBefore(today)) {
      Problems.badRequest(
          ctx, "asOf must be a past day (before " + today + "); the current valuation has no asOf");
      return;
    }
    visiblePledge(ctx)
        .onSuccess(
            found ->
                found.ifPresent(
                    pledge -> {
                      Instrument instrument = instrument(pledge.instrument());
                      LocalDate from =
                          past.calendar()
                              .tradingDaysBack(
                                  day, io.greenpledge.market.InstrumentMarket.HISTORY_DAYS);
                      Future.all(
                              past.bars().bars(pledge.instrument(), from, day),
                              past.market()
                                  .lastTickAtOrBefore(
                                      pledge.instrument(),
                                      io.greenpledge.valuation.PastValuation.endOf(day)))
                          .onSuccess(
                              both -> {
                                List<io.greenpledge.market.DailyBar> bars = both.resultAt(0);
                                Optional<io.greenpledge.market.Tick> last = both.resultAt(1);
                                Valuation v =
                                    io.greenpledge.valuation.PastValuation.value(
                                        pledge,
                                        instrument,
                                        past.calendar(),
                                        bars,
                                        last.orElse(null),
                                        day);
                                Requests.sendJson(
                                    ctx,
                                    ValuationJson.valuation(v, instrument)
                                        .put("asOf", day.toString()));
                              })
                          .onFailure(ctx::fail);
                    }));
  }

  void listValuations(RoutingContext ctx) {
    Instant to;
    Instant from;
    try {
      to =
          Optional.ofNullable(ctx.request().getParam("to"))
              .map(t -> OffsetDateTime.parse(t).toInstant())
              .orElse(Instant.now());
      from =
          Optional.ofNullable(ctx.request().getParam("from"))
              .map(t -> OffsetDateTime.parse(t).toInstant())
              .orElse(to.minusSeconds(7 * 24 * 3600));
    } catch (DateTimeParseException e) {
      Problems.badRequest(ctx, "from and to must be ISO-8601 date-times with an offset");
      return;
    }
    int limit = Requests.intParam(ctx, "limit", 500);
    visiblePledge(ctx)
        .onSuccess(
            found ->
                found.ifPresent(
                    p ->
                        history
                            .history(p.id(), from, to, limit)
                            .onSuccess(
                                entries ->
                                    Requests.sendJson(ctx, ValuationJson.history(p.id(), entries)))
                            .onFailure(ctx::fail)));
  }

  /** The pledge if the caller may see it; otherwise a 404 has been sent and the result is empty. */
  private Future<Optional<Pledge>> visiblePledge(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Scope scope = Scope.of(Requests.caller(ctx));
    return pledges
        .find(id)
        .map(
            found -> {
              Optional<Pledge> visible = found.filter(p -> scope.sees(p.bank()));
              if (visible.isEmpty()) {
                Problems.notFound(ctx, "no pledge " + id + " in your book");
              }
              return visible;
            })
        .onFailure(ctx::fail);
  }

  /**
   * A write to the book and its audit entry in one transaction: no write without its entry, no
   * entry without its write.
   */
  private <T> Future<T> audited(
      RoutingContext ctx,
      java.util.function.Function<PledgeRepository, Future<T>> write,
      java.util.function.Function<T, Optional<AuditLog.Draft>> entry) {
    return audited(ctx, Optional.empty(), write, entry);
  }

  /**
   * As above, after {@code guard} in the same transaction; with a guard, a write that changed
   * nothing fails the transaction (the guard's decision is undone with it).
   */
  private <T> Future<T> audited(
      RoutingContext ctx,
      Optional<java.util.function.Function<io.vertx.sqlclient.SqlConnection, Future<Void>>> guard,
      java.util.function.Function<PledgeRepository, Future<T>> write,
      java.util.function.Function<T, Optional<AuditLog.Draft>> entry) {
    return audit
        .pool()
        .withTransaction(
            connection ->
                FourEyes.approvedFirst(guard, connection)
                    .compose(v -> write.apply(new PledgeRepository(connection)))
                    .compose(
                        result -> {
                          Optional<AuditLog.Draft> draft = entry.apply(result);
                          if (draft.isEmpty() && guard.isPresent()) {
                            return Future.failedFuture(new IllegalStateException("concurrent"));
                          }
                          return draft
                              .map(
                                  d ->
                                      AuditLog.append(connection, Requests.actor(ctx), d)
                                          .map(result))
                              .orElse(Future.succeededFuture(result));
                        }));
  }

  private Future<JsonObject> change(
      RoutingContext ctx, Pledge pledge, PledgeChange.Reason reason, List<Pledge> conflicts) {
    PledgeChange change =
        new PledgeChange(
            pledge, reason, conflicts, Requests.caller(ctx).subject(), Requests.requestId(ctx));
    return Bus.BOOK
        .request(vertx, change, BOOK_TIMEOUT)
        .map(
            reply ->
                ValuationJson.pledge(pledge)
                    .put(
                        "valuation",
                        reply
                            .valuation()
                            .map(v -> ValuationJson.valuation(v, instrument(v.instrument())))
                            .orElse(null)));
  }

  private JsonObject withValuation(Pledge p) {
    return ValuationJson.pledge(p)
        .put(
            "valuation",
            board
                .get(p.id())
                .map(v -> ValuationJson.valuation(v, instrument(v.instrument())))
                .orElse(null));
  }

  private Instrument instrument(String id) {
    return catalog.find(id).orElseThrow();
  }

  private Pledge newPledge(JsonObject body, String bank) {
    String instrumentId = body.getString("instrument");
    Instrument instrument =
        catalog
            .find(instrumentId)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "instrument '" + instrumentId + "' is not in the catalog"));
    LocalDate start = date(body, "rightStart");
    LocalDate expiry = date(body, "rightExpiry");
    if (instrument.expiring() && (start == null || expiry == null)) {
      throw new IllegalArgumentException(
          instrumentId + " rights expire: rightStart and rightExpiry are required");
    }
    if (!instrument.expiring() && (start != null || expiry != null)) {
      throw new IllegalArgumentException(
          instrumentId + " rights do not expire: leave out rightStart and rightExpiry");
    }
    if (start != null && !expiry.isAfter(start)) {
      throw new IllegalArgumentException("rightExpiry must be after rightStart");
    }
    Lines lines = body.containsKey("lines") ? lines(body.getJsonObject("lines")) : Lines.DEFAULT;
    MarkBasis basis =
        Optional.ofNullable(body.getString("markBasis"))
            .map(MarkBasis::valueOf)
            .orElse(defaultBasis);
    Instant now = Instant.now();
    return new Pledge(
        "PLG-" + UUID.randomUUID(),
        bank,
        body.getString("borrower"),
        CreditCode.check(body.getString("borrowerCode")),
        borrowerGroup(body),
        body.getString("loanId"),
        instrumentId,
        fourDecimals(((Number) body.getValue("quantity")).doubleValue()),
        body.getString("certificate"),
        start,
        expiry,
        cents("outstanding", body.getValue("outstanding")),
        body.getValue("cashMargin") == null ? 0 : cents("cashMargin", body.getValue("cashMargin")),
        lines,
        basis,
        Pledge.State.ACTIVE,
        1,
        now,
        now);
  }

  /** A group name, if given: trimmed, at most 200 characters, no control characters. */
  private static String borrowerGroup(JsonObject body) {
    Object value = body.getValue("borrowerGroup");
    if (value == null) {
      return null;
    }
    String group = value.toString().strip();
    if (group.isEmpty()
        || group.length() > 200
        || group.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "borrowerGroup is a name of 1-200 characters without control characters");
    }
    return group;
  }

  private static LocalDate date(JsonObject body, String field) {
    String text = body.getString(field);
    try {
      return text == null ? null : LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + " must be a date like 2030-12-31");
    }
  }

  /** The book keeps quantities exactly with 4 decimals; more would be rounded away silently. */
  private static double fourDecimals(double quantity) {
    if (java.math.BigDecimal.valueOf(quantity).stripTrailingZeros().scale() > 4) {
      throw new IllegalArgumentException("quantity has at most 4 decimals, got " + quantity);
    }
    return quantity;
  }

  private static Lines lines(JsonObject json) {
    return new Lines(
        json.getDouble("initialLtv"),
        json.getDouble("warning"),
        json.getDouble("marginCall"),
        json.getDouble("disposal"));
  }

  /** CNY with at most two decimals, as fen. */
  private static long cents(String field, Object value) {
    BigDecimal amount = new BigDecimal(value.toString());
    if (amount.signum() < 0 || amount.stripTrailingZeros().scale() > 2) {
      throw new IllegalArgumentException(
          field + " must be a non-negative CNY amount with at most two decimals");
    }
    return amount.movePointRight(2).longValueExact();
  }
}
