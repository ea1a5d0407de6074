package io.greenpledge.market;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every instrument's market plus the per-source sequence numbers: validates ticks, applies the good
 * ones and tells which instruments changed. Single-threaded; no I/O.
 */
public final class Market {

  private final Map<String, InstrumentMarket> markets = new LinkedHashMap<>();
  private final Map<String, SourceSequence> sequences = new HashMap<>();

  /**
   * Sources as they were before the group being judged touched them (null: not judging a group).
   */
  private Map<String, SourceSequence> touchedSinceCheckpoint;

  private Checkpoint current;
  private final TickValidator validator;
  private final MarkBasis basis;

  public Market(
      Instruments instruments, TradingCalendar calendar, TickValidator validator, MarkBasis basis) {
    instruments.all().forEach(i -> markets.put(i.id(), new InstrumentMarket(i, calendar)));
    this.validator = validator;
    this.basis = basis;
  }

  public Optional<InstrumentMarket> instrument(String id) {
    return Optional.ofNullable(markets.get(id));
  }

  /** The journal's stored seqs of a source from the restored window, the last one among them. */
  public void restoreSequence(String source, long seq) {
    SourceSequence known = sequences.get(source);
    if (known == null) {
      sequences.put(source, new SourceSequence(seq));
    } else {
      known.add(seq);
    }
  }

  public Optional<Long> lastSeq(String source) {
    return Optional.ofNullable(sequences.get(source)).map(SourceSequence::last);
  }

  /**
   * The state before a group of ticks is applied. A tick counts as seen (its sequence number, its
   * price in the limit band) only once it is journaled: when the write fails the market goes back
   * to this checkpoint, so a connector's resend is accepted rather than answered DUPLICATE.
   */
  public static final class Checkpoint {
    /** What each instrument touched since the checkpoint was, recorded at its first tick. */
    private final Map<String, InstrumentMarket.Undo> instruments = new HashMap<>();

    private final Map<String, SourceSequence> sources = new HashMap<>();
  }

  /**
   * Starts a group: what follows can be taken back with {@link #rollback} until the next
   * checkpoint.
   */
  public Checkpoint checkpoint() {
    if (current != null) {
      current.instruments.keySet().forEach(id -> markets.get(id).stopRecording());
    }
    current = new Checkpoint();
    touchedSinceCheckpoint = current.sources;
    return current;
  }

  public void rollback(Checkpoint checkpoint) {
    checkpoint.instruments.forEach((id, undo) -> markets.get(id).restore(undo));
    checkpoint.instruments.clear();
    checkpoint.sources.forEach(
        (source, before) -> {
          if (before == null) {
            sequences.remove(source);
          } else {
            sequences.put(source, before);
          }
        });
    checkpoint.sources.clear();
  }

  /**
   * Applies ticks the journal already holds, without judging them again (they were judged before).
   */
  public void applyStored(List<Tick> ticks) {
    for (Tick tick : ticks) {
      apply(markets.get(tick.instrument()), tick);
      see(tick);
    }
  }

  /**
   * Applies a tick, first keeping (once per checkpoint) what its instrument was, so it can be taken
   * back.
   */
  private void apply(InstrumentMarket market, Tick tick) {
    if (current != null && !current.instruments.containsKey(tick.instrument())) {
      current.instruments.put(tick.instrument(), market.record());
    }
    market.apply(tick);
  }

  private void see(Tick tick) {
    SourceSequence sequence = sequences.get(tick.source());
    if (touchedSinceCheckpoint != null && !touchedSinceCheckpoint.containsKey(tick.source())) {
      touchedSinceCheckpoint.put(tick.source(), sequence == null ? null : sequence.copy());
    }
    if (sequence == null) {
      sequences.put(tick.source(), new SourceSequence(tick.seq()));
    } else {
      sequence.add(tick.seq());
    }
  }

  /** Validates and applies ticks in order; a later tick is judged against the earlier ones. */
  public List<TickOutcome> accept(List<Tick> ticks, Instant now) {
    List<TickOutcome> outcomes = new ArrayList<>(ticks.size());
    for (Tick tick : ticks) {
      outcomes.add(acceptOne(tick, now));
    }
    return outcomes;
  }

  /**
   * The journal keeps microseconds (PostgreSQL's precision); truncating here makes the live market
   * and a replay from the journal see the same timestamps.
   */
  private TickOutcome acceptOne(Tick received, Instant now) {
    Tick tick = asJournaled(received);
    InstrumentMarket market = markets.get(tick.instrument());
    Optional<RejectReason> reason =
        validator.check(tick, market, sequences.get(tick.source()), now);
    if (reason.isPresent()) {
      return TickOutcome.rejected(tick, reason.get());
    }
    apply(market, tick);
    see(tick);
    return TickOutcome.accepted(tick);
  }

  /**
   * The tick as the journal keeps it: microseconds, and price and quantity with 4 decimals (numeric
   * rounding, half away from zero), so the live market and a replay from the journal are the same
   * numbers and a served mark can be recomputed from stored trades.
   */
  static Tick asJournaled(Tick received) {
    double price = fourDecimals(received.price());
    double quantity = fourDecimals(received.quantity());
    boolean micros = received.ts().getNano() % 1000 == 0;
    if (micros && price == received.price() && quantity == received.quantity()) {
      return received;
    }
    return new Tick(
        received.instrument(),
        price,
        quantity,
        micros ? received.ts() : received.ts().truncatedTo(ChronoUnit.MICROS),
        received.source(),
        received.seq());
  }

  private static double fourDecimals(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value) || Math.abs(value) > 1e14) {
      return value; // refused by the validator; nothing to round
    }
    if (Math.abs(value) < 1e11 && Math.rint(value * 10_000) / 10_000 == value) {
      return value; // already 4 decimals: the common case, no BigDecimal per tick
    }
    return java.math.BigDecimal.valueOf(value)
        .setScale(4, java.math.RoundingMode.HALF_UP)
        .doubleValue();
  }

  public Quote quote(String instrument, Instant now) {
    return markets.get(instrument).quote(basis, now);
  }

  public List<Quote> quotes(Instant now) {
    return markets.values().stream().map(m -> m.quote(basis, now)).toList();
  }
}
