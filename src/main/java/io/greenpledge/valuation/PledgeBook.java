package io.greenpledge.valuation;

import io.greenpledge.market.Instrument;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.MarkBasis;
import io.greenpledge.market.Quote;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
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
 */
public final class PledgeBook {

  /** One pledge and where its valuation stands. */
  private static final class Entry {
    Pledge pledge;
    volatile Valuation valuation;
    int slot;

    Entry(Pledge pledge) {
      this.pledge = pledge;
    }
  }

  private final Instruments catalog;
  private final Map<String, Entry> byId = new ConcurrentHashMap<>();
  private final Map<String, List<Entry>> byInstrument = new HashMap<>();

  /** The banks' own terms for a pledge's haircut (floors, concentration add-ons). */
  private volatile java.util.function.Function<Pledge, BankTerms> terms = p -> BankTerms.NONE;

  /** From now on, pledges are valued with these terms (the risk engine refreshes them). */
  public void useTerms(java.util.function.Function<Pledge, BankTerms> terms) {
    this.terms = terms;
  }

  public PledgeBook(Instruments catalog) {
    this.catalog = catalog;
    catalog.ids().forEach(id -> byInstrument.put(id, new ArrayList<>()));
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
    return byInstrument.getOrDefault(instrument, List.of()).stream().map(e -> e.pledge).toList();
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
    CoverageStatus previous = entry.valuation != null ? entry.valuation.status() : restored;
    Instrument instrument = catalog.find(pledge.instrument()).orElseThrow();
    Valuation valuation =
        Valuer.value(
            pledge,
            instrument,
            MarketInputs.of(quote, pledge.basis()),
            previous,
            today,
            now,
            terms.apply(pledge));
    entry.valuation = valuation;
    return previous == null || previous == valuation.status()
        ? Optional.empty()
        : Optional.of(new Transition(pledge, previous, valuation.status(), valuation));
  }

  /**
   * Revalues every pledge on the quote's instrument; valuations go to {@code out}, status changes
   * are returned.
   */
  public List<Transition> revalue(
      Quote quote, Instant now, LocalDate today, Consumer<Valuation> out) {
    List<Entry> entries = byInstrument.get(quote.instrument());
    if (entries == null || entries.isEmpty()) {
      return List.of();
    }
    Instrument instrument = catalog.find(quote.instrument()).orElseThrow();
    Map<MarkBasis, MarketInputs> inputs = new EnumMap<>(MarkBasis.class);
    List<Transition> transitions = new ArrayList<>();
    for (Entry entry : entries) {
      Pledge pledge = entry.pledge;
      MarketInputs market =
          inputs.computeIfAbsent(pledge.basis(), basis -> MarketInputs.of(quote, basis));
      CoverageStatus previous = entry.valuation == null ? null : entry.valuation.status();
      Valuation valuation =
          Valuer.value(pledge, instrument, market, previous, today, now, terms.apply(pledge));
      entry.valuation = valuation;
      out.accept(valuation);
      if (previous != null && previous != valuation.status()) {
        transitions.add(new Transition(pledge, previous, valuation.status(), valuation));
      }
    }
    return transitions;
  }

  private void add(Entry entry) {
    List<Entry> list = byInstrument.get(entry.pledge.instrument());
    entry.slot = list.size();
    list.add(entry);
  }

  /** Swap-remove keeps removal O(1) in a book of a million pledges. */
  private void remove(Entry entry) {
    byId.remove(entry.pledge.id());
    List<Entry> list = byInstrument.get(entry.pledge.instrument());
    Entry last = list.remove(list.size() - 1);
    if (last != entry) {
      list.set(entry.slot, last);
      last.slot = entry.slot;
    }
  }
}
