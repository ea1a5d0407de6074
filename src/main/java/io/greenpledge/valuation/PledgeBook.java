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
 * and each valuation is published by a release write (read with acquire), so a revaluation costs no
 * hashing and no fence: a volatile write's fence waited, per pledge, for the store to its entry.
 *
 * <p>A revaluation does only what the new quote changes. A pledge whose valuation inputs (its mark,
 * σ, ADV20, staleness; the day, for an expiring right's term factor) are those it was valued at
 * keeps its valuation and is not handed out: a trade that moves no mark publishes nothing. What
 * depends on the pledge alone (quantity in units, the bank's terms, the term factor of the day, the
 * horizon for the market's ADV20) is kept per pledge, and the model haircut per horizon is worked
 * out once per quote. The pledges of an instrument keep these figures in arrays by slot, so that a
 * revaluation reads them in order instead of visiting a million objects.
 */
public final class PledgeBook {

  /** One pledge: its slot on its instrument's shelf and its latest valuation, for any reader. */
  private static final class Entry {
    Pledge pledge;
    Valuation valuation; // written with release, read with acquire: see VALUATION
    int slot;

    Entry(Pledge pledge) {
      this.pledge = pledge;
    }

    Valuation valuation() {
      return (Valuation) VALUATION.getAcquire(this);
    }
  }

  /**
   * An entry's valuation, published with release semantics: a reader that sees a valuation sees
   * everything written before it (the valuation is immutable besides). On x86 a plain store.
   */
  private static final java.lang.invoke.VarHandle VALUATION;

  static {
    try {
      VALUATION =
          java.lang.invoke.MethodHandles.lookup()
              .findVarHandle(Entry.class, "valuation", Valuation.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * The pledges on one instrument, by slot, with what their next valuation reads (the risk engine's
   * own: one thread writes and reads these), and the market inputs of the last revaluation per
   * basis.
   */
  private static final class Shelf {
    final Instrument instrument;
    final MarketInputs[] last = new MarketInputs[BASES.length];
    int size;
    Entry[] entries = new Entry[0];
    byte[] basis = new byte[0];
    long[] quantity = new long[0];
    long[] outstanding = new long[0];
    long[] cash = new long[0];
    long[] termFactor = new long[0];
    long[] horizon = new long[0];
    long[] horizonAdv20 = new long[0];
    int[] horizonStaleDays = new int[0];
    Lines[] lines = new Lines[0];
    BankTerms[] terms = new BankTerms[0];
    Valuation.Position[] position = new Valuation.Position[0];
    CoverageStatus[] status = new CoverageStatus[0];
    MarketInputs[] market = new MarketInputs[0];
    LocalDate[] termDay = new LocalDate[0];

    Shelf(Instrument instrument) {
      this.instrument = instrument;
    }

    int add(Entry entry) {
      if (size == entries.length) {
        int n = Math.max(16, size * 2);
        entries = java.util.Arrays.copyOf(entries, n);
        basis = java.util.Arrays.copyOf(basis, n);
        quantity = java.util.Arrays.copyOf(quantity, n);
        outstanding = java.util.Arrays.copyOf(outstanding, n);
        cash = java.util.Arrays.copyOf(cash, n);
        termFactor = java.util.Arrays.copyOf(termFactor, n);
        horizon = java.util.Arrays.copyOf(horizon, n);
        horizonAdv20 = java.util.Arrays.copyOf(horizonAdv20, n);
        horizonStaleDays = java.util.Arrays.copyOf(horizonStaleDays, n);
        lines = java.util.Arrays.copyOf(lines, n);
        terms = java.util.Arrays.copyOf(terms, n);
        position = java.util.Arrays.copyOf(position, n);
        status = java.util.Arrays.copyOf(status, n);
        market = java.util.Arrays.copyOf(market, n);
        termDay = java.util.Arrays.copyOf(termDay, n);
      }
      entries[size] = entry;
      entry.slot = size;
      return size++;
    }

    /** Swap-remove: the last slot moves into the freed one (O(1) in a book of a million). */
    void remove(int slot) {
      int last = --size;
      if (slot != last) {
        entries[slot] = entries[last];
        entries[slot].slot = slot;
        basis[slot] = basis[last];
        quantity[slot] = quantity[last];
        outstanding[slot] = outstanding[last];
        cash[slot] = cash[last];
        termFactor[slot] = termFactor[last];
        horizon[slot] = horizon[last];
        horizonAdv20[slot] = horizonAdv20[last];
        horizonStaleDays[slot] = horizonStaleDays[last];
        lines[slot] = lines[last];
        terms[slot] = terms[last];
        position[slot] = position[last];
        status[slot] = status[last];
        market[slot] = market[last];
        termDay[slot] = termDay[last];
      }
      entries[last] = null;
      lines[last] = null;
      terms[last] = null;
      position[last] = null;
      status[last] = null;
      market[last] = null;
      termDay[last] = null;
    }

    /** The slot's figures from its pledge (on upsert), the position made on {@code today}. */
    void fill(
        int slot, Pledge pledge, BankTerms bankTerms, CoverageStatus previous, LocalDate today) {
      basis[slot] = (byte) pledge.basis().ordinal();
      quantity[slot] = Exact.units(pledge.quantity(), 4);
      outstanding[slot] = pledge.outstandingCents();
      cash[slot] = pledge.cashMarginCents();
      lines[slot] = pledge.lines();
      terms[slot] = bankTerms;
      status[slot] = previous;
      market[slot] = null;
      horizonAdv20[slot] = -1;
      position[slot] = null;
      day(slot, today);
    }

    /**
     * The slot's term factor and position on {@code today}: the position is made again when the
     * pledge changed (fill clears it) or an expiring right's term factor moved with the day.
     */
    void day(int slot, LocalDate today) {
      Pledge pledge = entries[slot].pledge;
      long factor =
          instrument.expiring()
              ? TermFactor.micro(pledge.rightStart(), pledge.rightExpiry(), today)
              : TermFactor.ONE;
      if (position[slot] == null || termFactor[slot] != factor) {
        termFactor[slot] = factor;
        position[slot] = Valuer.position(pledge, factor, terms[slot]);
      }
      termDay[slot] = today;
    }

    /**
     * The slot's horizon for the market's ADV20 and stale days, worked out again when they move.
     */
    long horizon(int slot, long adv20, int staleDays) {
      if (horizonAdv20[slot] != adv20 || horizonStaleDays[slot] != staleDays) {
        horizon[slot] = Haircut.horizonDays(instrument.tier(), quantity[slot], adv20, staleDays);
        horizonAdv20[slot] = adv20;
        horizonStaleDays[slot] = staleDays;
      }
      return horizon[slot];
    }

    /** Values the slot at the market and keeps what the next valuation reads. */
    Valuation value(int slot, MarketInputs at, long modelHaircut, Instant now) {
      Valuation valuation =
          Valuer.value(
              position[slot],
              quantity[slot],
              outstanding[slot],
              cash[slot],
              termFactor[slot],
              lines[slot],
              terms[slot],
              horizon[slot],
              modelHaircut,
              at,
              status[slot],
              now);
      status[slot] = valuation.status();
      market[slot] = at;
      VALUATION.setRelease(entries[slot], valuation);
      return valuation;
    }
  }

  private static final MarkBasis[] BASES = MarkBasis.values();

  /** Horizons up to this many days have their haircut memoised per quote; longer ones are rare. */
  private static final int MEMO_DAYS = 512;

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
    catalog.ids().forEach(id -> byInstrument.put(id, new Shelf(catalog.find(id).orElseThrow())));
  }

  public int size() {
    return byId.size();
  }

  public Optional<Valuation> valuation(String pledgeId) {
    Entry entry = byId.get(pledgeId);
    return entry == null ? Optional.empty() : Optional.ofNullable(entry.valuation());
  }

  public Optional<Pledge> pledge(String pledgeId) {
    Entry entry = byId.get(pledgeId);
    return entry == null ? Optional.empty() : Optional.of(entry.pledge);
  }

  public Collection<Pledge> pledgesOn(String instrument) {
    Shelf shelf = byInstrument.get(instrument);
    if (shelf == null) {
      return List.of();
    }
    List<Pledge> on = new ArrayList<>(shelf.size);
    for (int i = 0; i < shelf.size; i++) {
      on.add(shelf.entries[i].pledge);
    }
    return on;
  }

  /** The latest valuation of every pledge; safe from any thread, weakly consistent. */
  public Iterable<Valuation> valuations() {
    return () ->
        byId.values().stream().map(Entry::valuation).filter(java.util.Objects::nonNull).iterator();
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
    CoverageStatus previous = restored;
    if (entry != null && entry.valuation() != null) {
      previous = byInstrument.get(entry.pledge.instrument()).status[entry.slot];
    }
    if (entry == null) {
      entry = new Entry(pledge);
      byId.put(pledge.id(), entry);
      byInstrument.get(pledge.instrument()).add(entry);
    } else if (!entry.pledge.instrument().equals(pledge.instrument())) {
      remove(entry);
      entry.pledge = pledge;
      byId.put(pledge.id(), entry);
      byInstrument.get(pledge.instrument()).add(entry);
    } else {
      entry.pledge = pledge;
    }
    Shelf shelf = byInstrument.get(pledge.instrument());
    int slot = entry.slot;
    shelf.fill(slot, pledge, terms.apply(pledge), previous, today);
    MarketInputs market = MarketInputs.of(quote, pledge.basis());
    long horizon = shelf.horizon(slot, market.adv20Micro(), market.staleDays());
    Valuation valuation =
        shelf.value(
            slot,
            market,
            Haircut.haircutMicro(shelf.instrument.tier(), market.sigma(), horizon),
            now);
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
    if (shelf == null || shelf.size == 0) {
      return List.of();
    }
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
    double sigma = next[0].sigma();
    long[] haircuts =
        null; // made on the first pledge revalued: a quote that moves nothing costs none
    List<Transition> transitions = new ArrayList<>();
    LocalDate lastDay = null;
    for (int i = 0; i < shelf.size; i++) {
      int b = shelf.basis[i];
      MarketInputs market = next[b];
      MarketInputs before = shelf.market[i];
      LocalDate day = shelf.termDay[i];
      boolean sameDay = day != null && (day == lastDay || today.equals(day));
      if (sameDay) {
        lastDay = day; // every slot holds the same day object: one equals per revaluation
      }
      if (before != null
          && sameDay
          && (before == shelf.last[b] ? !moved[b] : before.valuesAlike(market))) {
        continue;
      }
      if (!sameDay) {
        shelf.day(i, today);
      }
      long horizon = shelf.horizon(i, adv20, staleDays);
      long haircut;
      if (horizon >= 0 && horizon < MEMO_DAYS) {
        if (haircuts == null) {
          haircuts = new long[MEMO_DAYS];
          java.util.Arrays.fill(haircuts, -1);
        }
        haircut = haircuts[(int) horizon];
        if (haircut < 0) {
          haircut = Haircut.haircutMicro(shelf.instrument.tier(), sigma, horizon);
          haircuts[(int) horizon] = haircut;
        }
      } else {
        haircut = Haircut.haircutMicro(shelf.instrument.tier(), sigma, horizon);
      }
      CoverageStatus previous = shelf.status[i];
      Valuation valuation = shelf.value(i, market, haircut, now);
      out.accept(valuation);
      if (previous != null && previous != valuation.status()) {
        transitions.add(
            new Transition(shelf.entries[i].pledge, previous, valuation.status(), valuation));
      }
    }
    for (int b = 0; b < BASES.length; b++) {
      if (moved[b]) {
        shelf.last[b] = next[b];
      }
    }
    return transitions;
  }

  private void remove(Entry entry) {
    byId.remove(entry.pledge.id());
    byInstrument.get(entry.pledge.instrument()).remove(entry.slot);
  }
}
