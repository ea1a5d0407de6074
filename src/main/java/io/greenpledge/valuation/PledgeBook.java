package io.greenpledge.valuation;

import io.greenpledge.market.Instrument;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.MarkBasis;
import io.greenpledge.market.Quote;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Every active pledge with its latest valuation, indexed by instrument so that a mark change
 * revalues only the pledges on that instrument. One thread (the risk engine) writes; any thread may
 * read the latest valuations ({@link #valuation}, {@link #valuations}): the id index is concurrent
 * and each valuation is published by a volatile write, so a revaluation costs no hashing.
 *
 * <p>A revaluation does only what the new quote changes. A pledge whose valuation inputs (its mark,
 * σ, ADV20, staleness; the day, for an expiring right's term factor) are those it was valued at
 * keeps its valuation and is not handed out: a trade that moves no mark publishes nothing. What
 * depends on the pledge alone (quantity in units, the bank's terms, the term factor of the day, the
 * horizon for the market's ADV20) is kept per pledge, and the model haircut per horizon is worked
 * out once per quote.
 */
public final class PledgeBook {

  /** One pledge, where its valuation stands, and what its next valuation can reuse. */
  private static final class Entry {
    Pledge pledge;
    volatile Valuation valuation;
    int slot;
    // kept beside the valuation so that a revaluation reads the entry alone (the risk engine's own)
    int basis;
    BankTerms terms;
    CoverageStatus status;
    MarketInputs market;
    LocalDate termDay;
    Valuation.Position position;
    long horizonAdv20 = -1;
    int horizonStaleDays;
    long horizon;

    Entry(Pledge pledge) {
      this.pledge = pledge;
    }
  }

  /** The pledges on one instrument and the market inputs of their last revaluation, per basis. */
  private static final class Shelf {
    final Instrument instrument;
    final List<Entry> entries = new ArrayList<>();
    final MarketInputs[] last = new MarketInputs[BASES.length];

    Shelf(Instrument instrument) {
      this.instrument = instrument;
    }
  }

  private static final MarkBasis[] BASES = MarkBasis.values();

  /** Horizons up to this many days have their haircut memoised per quote; longer ones are rare. */
  private static final int MEMO_DAYS = 512;

  private final Instruments catalog;
  private final Map<String, Entry> byId = new ConcurrentHashMap<>();
  private final Map<String, Shelf> byInstrument = new HashMap<>();

  /** The banks' own terms for a pledge's haircut (floors, concentration add-ons). */
  private volatile java.util.function.Function<Pledge, BankTerms> terms = p -> BankTerms.NONE;

  /**
   * From now on, pledges are valued with these terms. A pledge's terms are read when it is
   * upserted: whoever changes a pledge's terms upserts it (the risk engine does, for each pledge
   * whose terms changed).
   */
  public void useTerms(java.util.function.Function<Pledge, BankTerms> terms) {
    this.terms = terms;
  }

  public PledgeBook(Instruments catalog) {
    this.catalog = catalog;
    catalog.ids().forEach(id -> byInstrument.put(id, new Shelf(catalog.find(id).orElseThrow())));
  }

  public int size() {
    return byId.size();
  }

  public Optional<Valuation> valuation(String pledgeId) {
    Entry entry = byId.get(pledgeId);
    return entry == null ? Optional.empty() : Optional.ofNullable(entry.valuation);
  }

  public Optional<Pledge> pledge(String pledgeId) {
    Entry entry = byId.get(pledgeId);
    return entry == null ? Optional.empty() : Optional.of(entry.pledge);
  }

  public Collection<Pledge> pledgesOn(String instrument) {
    Shelf shelf = byInstrument.get(instrument);
    return shelf == null ? List.of() : shelf.entries.stream().map(e -> e.pledge).toList();
  }

  /** The latest valuation of every pledge; safe from any thread, weakly consistent. */
  public Iterable<Valuation> valuations() {
    return () ->
        byId.values().stream().map(e -> e.valuation).filter(java.util.Objects::nonNull).iterator();
  }

  public void forEachValuation(Consumer<Valuation> consumer) {
    valuations().forEach(consumer);
  }

  /**
   * Adds or replaces a pledge (a released one is removed) and values it at once; a status change
   * against its previous valuation is reported. {@code previous} restores a status persisted before
   * a restart so hysteresis survives it.
   */
  public Optional<Transition> upsert(
      Pledge pledge, Quote quote, CoverageStatus restored, Instant now, LocalDate today) {
    Entry entry = byId.get(pledge.id());
    if (!pledge.active()) {
      if (entry != null) {
        remove(entry);
      }
      return Optional.empty();
    }
    if (entry == null) {
      entry = new Entry(pledge);
      byId.put(pledge.id(), entry);
      add(entry);
    } else if (!entry.pledge.instrument().equals(pledge.instrument())) {
      remove(entry);
      entry.pledge = pledge;
      byId.put(pledge.id(), entry);
      add(entry);
    } else {
      entry.pledge = pledge;
    }
    entry.basis = pledge.basis().ordinal();
    entry.terms = terms.apply(pledge);
    entry.position = null;
    entry.horizonAdv20 = -1;
    CoverageStatus previous = entry.valuation != null ? entry.status : restored;
    Instrument instrument = byInstrument.get(pledge.instrument()).instrument;
    MarketInputs market = MarketInputs.of(quote, pledge.basis());
    position(entry, instrument, today);
    long horizon = horizon(entry, instrument, market.adv20Micro(), market.staleDays());
    Valuation valuation =
        value(
            entry,
            market,
            previous,
            now,
            Haircut.haircutMicro(instrument.tier(), market.sigma(), horizon));
    return previous == null || previous == valuation.status()
        ? Optional.empty()
        : Optional.of(new Transition(pledge, previous, valuation.status(), valuation));
  }

  /**
   * Revalues the pledges on the quote's instrument whose valuation inputs the quote changed; their
   * valuations go to {@code out}, status changes are returned. A quote that changes no pledge's
   * inputs hands out nothing.
   */
  public List<Transition> revalue(
      Quote quote, Instant now, LocalDate today, Consumer<Valuation> out) {
    Shelf shelf = byInstrument.get(quote.instrument());
    if (shelf == null || shelf.entries.isEmpty()) {
      return List.of();
    }
    Instrument instrument = shelf.instrument;
    MarketInputs[] next = new MarketInputs[BASES.length];
    boolean[] moved = new boolean[BASES.length];
    for (MarkBasis basis : BASES) {
      int b = basis.ordinal();
      next[b] = MarketInputs.of(quote, basis);
      moved[b] = shelf.last[b] == null || !shelf.last[b].valuesAlike(next[b]);
    }
    // Market-wide inputs, the same for every basis: the horizon and haircut depend on them only.
    long adv20 = next[0].adv20Micro();
    int staleDays = next[0].staleDays();
    long[] haircuts = new long[MEMO_DAYS];
    java.util.Arrays.fill(haircuts, -1);
    List<Transition> transitions = new ArrayList<>();
    for (Entry entry : shelf.entries) {
      int b = entry.basis;
      MarketInputs market = next[b];
      MarketInputs before = entry.market;
      boolean sameDay = today.equals(entry.termDay);
      if (before != null
          && sameDay
          && (before == shelf.last[b] ? !moved[b] : before.valuesAlike(market))) {
        continue;
      }
      if (!sameDay) {
        position(entry, instrument, today);
      }
      long horizon = horizon(entry, instrument, adv20, staleDays);
      long haircut;
      if (horizon >= 0 && horizon < MEMO_DAYS) {
        haircut = haircuts[(int) horizon];
        if (haircut < 0) {
          haircut = Haircut.haircutMicro(instrument.tier(), market.sigma(), horizon);
          haircuts[(int) horizon] = haircut;
        }
      } else {
        haircut = Haircut.haircutMicro(instrument.tier(), market.sigma(), horizon);
      }
      CoverageStatus previous = entry.status;
      Valuation valuation = value(entry, market, previous, now, haircut);
      out.accept(valuation);
      if (previous != null && previous != valuation.status()) {
        transitions.add(new Transition(entry.pledge, previous, valuation.status(), valuation));
      }
    }
    for (int b = 0; b < BASES.length; b++) {
      if (moved[b]) {
        shelf.last[b] = next[b];
      }
    }
    return transitions;
  }

  /** Values the entry (its position and horizon current) and keeps what the next one reads. */
  private static Valuation value(
      Entry entry, MarketInputs market, CoverageStatus previous, Instant now, long modelHaircut) {
    Valuation valuation =
        Valuer.value(entry.position, entry.horizon, modelHaircut, market, previous, now);
    entry.status = valuation.status();
    entry.market = market;
    entry.valuation = valuation;
    return valuation;
  }

  /**
   * The entry's position on {@code today}: made again when the pledge changed (upsert clears it) or
   * an expiring right's term factor moved with the day.
   */
  private static void position(Entry entry, Instrument instrument, LocalDate today) {
    long termFactor =
        instrument.expiring()
            ? TermFactor.micro(entry.pledge.rightStart(), entry.pledge.rightExpiry(), today)
            : TermFactor.ONE;
    if (entry.position == null || entry.position.termFactorMicro() != termFactor) {
      entry.position = Valuer.position(entry.pledge, termFactor, entry.terms);
    }
    entry.termDay = today;
  }

  /**
   * The pledge's horizon for the market's ADV20 and stale days, worked out again when they move.
   */
  private static long horizon(Entry entry, Instrument instrument, long adv20, int staleDays) {
    if (entry.horizonAdv20 != adv20 || entry.horizonStaleDays != staleDays) {
      entry.horizon =
          Haircut.horizonDays(instrument.tier(), entry.position.quantityUnits(), adv20, staleDays);
      entry.horizonAdv20 = adv20;
      entry.horizonStaleDays = staleDays;
    }
    return entry.horizon;
  }

  private void add(Entry entry) {
    List<Entry> list = byInstrument.get(entry.pledge.instrument()).entries;
    entry.slot = list.size();
    list.add(entry);
  }

  /** Swap-remove keeps removal O(1) in a book of a million pledges. */
  private void remove(Entry entry) {
    byId.remove(entry.pledge.id());
    List<Entry> list = byInstrument.get(entry.pledge.instrument()).entries;
    Entry last = list.remove(list.size() - 1);
    if (last != entry) {
      list.set(entry.slot, last);
      last.slot = entry.slot;
    }
  }
}
