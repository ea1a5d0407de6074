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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Every active pledge with its latest valuation, indexed by instrument so that a mark change
 * revalues only the pledges on that instrument. One thread (the risk engine) writes; any thread may
 * read the latest valuations ({@link #valuation}, {@link #valuations}).
 *
 * <p>A revaluation does only what the new quote changes. A pledge whose valuation inputs (its mark,
 * σ, ADV20, staleness; the day, for an expiring right's term factor) are those it was valued at
 * keeps its valuation and is not handed out: a trade that moves no mark publishes nothing. What
 * depends on the pledge alone (quantity in units, the bank's terms, the term factor of the day, the
 * horizon for the market's ADV20) is kept per pledge, and the model haircut per horizon is worked
 * out once per quote.
 *
 * <p>The pledges of an instrument sit on a shelf, by slot, and the book keeps their figures there
 * too, in one array of longs: a revaluation reads and writes in order and keeps no object per
 * pledge, so a million revalued pledges leave the collector nothing to copy or scan. A reader
 * builds the {@link Valuation} from its slot, under the slot's stamp (a sequence lock: odd while
 * the engine writes the slot, read again after the figures to see that they did not move), and
 * keeps it beside the slot while the stamp holds, so that an unchanged pledge reads as the same
 * object.
 */
public final class PledgeBook {

  /** One pledge and where it sits; readers find its slot through it and check it is still there. */
  private static final class Entry {
    volatile Pledge pledge;
    volatile Shelf shelf;
    volatile int slot;
    volatile boolean removed;

    Entry(Pledge pledge) {
      this.pledge = pledge;
    }
  }

  /** The market a slot was valued at, and when. */
  private record Marked(MarketInputs market, Instant valuedAt) {}

  /** A valuation a reader built from its slot at the slot's stamp. */
  private record Built(long stamp, Valuation valuation) {}

  // A slot's longs: its stamp, the valuer's figures (Valuer's offsets), its status (ordinal + 1),
  // the number of the market it was valued at (see Markets; NONE before it is valued).
  private static final int STAMP = 0;
  private static final int FIGURES = 1;
  private static final int STATUS = FIGURES + Valuer.FIGURES;
  private static final int MARK = STATUS + 1;
  private static final int STRIDE = MARK + 1;
  private static final int NONE = -1;

  // A slot's inputs, the engine's own (Shelf.inputs): its position's (at the valuer's offsets, from
  // 0), then the horizon with the ADV20 and stale days it was worked out for, the mark basis and
  // the day the position was made on. One array by slot rather than an array per input, and no
  // object to follow: a revaluation reads a pledge's inputs from 120 bytes in a row, in slot order.
  // With an array per input it read eight streams and was a quarter slower under G1, a tenth under
  // ParallelGC (BENCHMARKS.md, "Revaluation, fourth sitting").
  private static final int HORIZON = Valuer.INPUTS; // days
  private static final int HORIZON_ADV20 = HORIZON + 1; // -1: none worked out yet
  private static final int HORIZON_STALE_DAYS = HORIZON + 2;
  private static final int BASIS = HORIZON + 3; // the mark basis' ordinal
  private static final int DAY = HORIZON + 4; // epoch day
  private static final int INPUTS = DAY + 1;

  /**
   * The markets a shelf's slots were valued at, by number. A slot keeps the number among its longs
   * rather than a reference, so a revaluation stores no reference per pledge (under G1 each
   * reference stored into the long-lived table costs a card mark, a fence and refinement). Counted:
   * a market no slot uses any more is dropped and its number reused. A reader takes a slot's number
   * and its market under the slot's stamp: while the stamp holds, the slot uses the number, so it
   * is neither dropped nor reused; an array replaced by growth holds every number given before.
   */
  private static final class Markets {
    volatile Marked[] byNumber = new Marked[16];
    int[] uses = new int[16];
    int[] free = new int[16];
    int freeCount;
    int size;

    int add(Marked marked) {
      int number;
      if (freeCount > 0) {
        number = free[--freeCount];
      } else {
        if (size == uses.length) {
          int n = size * 2;
          uses = java.util.Arrays.copyOf(uses, n);
          free = java.util.Arrays.copyOf(free, n);
          byNumber = java.util.Arrays.copyOf(byNumber, n);
        }
        number = size++;
      }
      byNumber[number] = marked;
      uses[number] = 0;
      return number;
    }

    /** The slot at {@code base} is now valued at market {@code number}. */
    void assign(long[] figures, int base, int number) {
      int before = (int) figures[base + MARK];
      if (before != number) {
        uses[number]++;
        release(before);
        figures[base + MARK] = number;
      }
    }

    void release(int number) {
      if (number != NONE && --uses[number] == 0) {
        byNumber[number] = null;
        free[freeCount++] = number;
      }
    }

    Marked get(int number) {
      Marked[] markets = byNumber;
      return number >= 0 && number < markets.length ? markets[number] : null;
    }
  }

  private static final CoverageStatus[] STATUSES = CoverageStatus.values();

  /** How long a reader waits for a slot the engine holds open before calling it a fault. */
  private static final long SETTLE_NANOS = 1_000_000_000L;

  /** A slot's stamp, read with acquire and written with release (plain on x86). */
  private static final java.lang.invoke.VarHandle STAMPS =
      java.lang.invoke.MethodHandles.arrayElementVarHandle(long[].class);

  /**
   * What readers see of a shelf: replaced whole when the shelf grows (the engine writes only the
   * newest; a reader still on an older one reads a consistent, earlier valuation).
   */
  private static final class Table {
    final Entry[] entries;
    final long[] figures;
    final Valuation.Position[] position;
    final Markets markets;
    final Built[] built;

    Table(Markets markets) {
      this(new Entry[0], new long[0], new Valuation.Position[0], markets);
    }

    private Table(Entry[] entries, long[] figures, Valuation.Position[] position, Markets markets) {
      this.entries = entries;
      this.figures = figures;
      this.position = position;
      this.markets = markets;
      this.built = new Built[entries.length];
    }

    Table grown(int capacity) {
      return new Table(
          java.util.Arrays.copyOf(entries, capacity),
          java.util.Arrays.copyOf(figures, capacity * STRIDE),
          java.util.Arrays.copyOf(position, capacity),
          markets);
    }

    Marked marked(int slot) {
      return markets.get((int) figures[slot * STRIDE + MARK]);
    }

    /** Marks the slot as being written (odd stamp) and returns the stamp it had. */
    long open(int slot) {
      int at = slot * STRIDE + STAMP;
      long stamp = figures[at];
      figures[at] = stamp + 1;
      java.lang.invoke.VarHandle.storeStoreFence();
      return stamp;
    }

    /** The slot's writes are done: readers may take them. */
    void close(int slot, long stamp) {
      STAMPS.setRelease(figures, slot * STRIDE + STAMP, stamp + 2);
    }

    CoverageStatus status(int slot) {
      int ordinal = (int) figures[slot * STRIDE + STATUS];
      return ordinal == 0 ? null : STATUSES[ordinal - 1];
    }

    /** The slot's valuation as the engine wrote it last, for the engine itself. */
    Valuation valuation(int slot) {
      Marked at = marked(slot);
      return Valuer.valuation(
          position[slot], figures, slot * STRIDE + FIGURES, status(slot), at.market, at.valuedAt);
    }

    /**
     * The entry's valuation from this slot, for any thread; null when the slot is being written or
     * no longer holds the entry (the caller looks again).
     */
    Valuation read(int slot, Entry entry) {
      int at = slot * STRIDE;
      long stamp = (long) STAMPS.getAcquire(figures, at + STAMP);
      if ((stamp & 1) != 0) {
        return null;
      }
      Entry occupant = entries[slot];
      Built kept = built[slot];
      Valuation.Position position = this.position[slot];
      Marked marked = marked(slot);
      long[] copy = null;
      if (kept == null || kept.stamp != stamp) {
        copy = java.util.Arrays.copyOfRange(figures, at + FIGURES, at + STRIDE);
      }
      java.lang.invoke.VarHandle.loadLoadFence();
      if ((long) STAMPS.getOpaque(figures, at + STAMP) != stamp
          || occupant != entry
          || marked == null) {
        return null;
      }
      if (copy == null) {
        return kept.valuation;
      }
      int ordinal = (int) copy[STATUS - FIGURES];
      Valuation valuation =
          Valuer.valuation(
              position, copy, 0, STATUSES[ordinal - 1], marked.market, marked.valuedAt);
      built[slot] = new Built(stamp, valuation); // a race between readers keeps either: both hold
      return valuation;
    }
  }

  /**
   * The pledges on one instrument, by slot: what readers see ({@link Table}) and what the next
   * valuation reads (the risk engine's own: one thread writes and reads these), and the market
   * inputs of the last revaluation per basis.
   */
  private static final class Shelf {
    final Instrument instrument;
    final MarketInputs[] last = new MarketInputs[BASES.length];
    int size;
    final Markets markets = new Markets();
    // per basis, the market number the last upsert valued at
    final int[] upserted = new int[BASES.length];
    volatile Table table = new Table(markets);
    long[] inputs = new long[0]; // by slot, INPUTS longs each (the valuer's, then HORIZON to DAY)
    Pledge[] pledge = new Pledge[0]; // the engine's own copy of each entry's: read in order

    Shelf(Instrument instrument) {
      this.instrument = instrument;
      java.util.Arrays.fill(upserted, NONE);
    }

    int add(Entry entry) {
      Table t = table;
      if (size == t.entries.length) {
        int n = Math.max(16, size * 2);
        t = t.grown(n);
        inputs = java.util.Arrays.copyOf(inputs, n * INPUTS);
        pledge = java.util.Arrays.copyOf(pledge, n);
        table = t;
      }
      int slot = size++;
      long stamp = t.open(slot);
      t.entries[slot] = entry;
      t.figures[slot * STRIDE + MARK] = NONE;
      t.close(slot, stamp);
      entry.shelf = this;
      entry.slot = slot;
      return slot;
    }

    /** Swap-remove: the last slot moves into the freed one (O(1) in a book of a million). */
    void remove(int slot) {
      Table t = table;
      int last = --size;
      long opened = t.open(slot);
      markets.release((int) t.figures[slot * STRIDE + MARK]);
      if (slot != last) {
        System.arraycopy(
            t.figures, last * STRIDE + FIGURES, t.figures, slot * STRIDE + FIGURES, STRIDE - 1);
        t.entries[slot] = t.entries[last];
        t.position[slot] = t.position[last];
      }
      t.close(slot, opened);
      if (slot != last) {
        t.entries[slot].slot = slot;
        System.arraycopy(inputs, last * INPUTS, inputs, slot * INPUTS, INPUTS);
        pledge[slot] = pledge[last];
      }
      long stamp = t.open(last);
      t.entries[last] = null;
      t.position[last] = null;
      t.figures[last * STRIDE + STATUS] = 0;
      t.figures[last * STRIDE + MARK] = NONE;
      t.close(last, stamp);
      pledge[last] = null;
    }

    /**
     * The slot's figures from its pledge (on upsert), the position made on {@code today}; the
     * caller has the slot open.
     */
    void fill(
        Table t,
        int slot,
        Pledge pledge,
        BankTerms bankTerms,
        CoverageStatus previous,
        LocalDate today) {
      this.pledge[slot] = pledge;
      int at = slot * INPUTS;
      inputs[at + BASIS] = pledge.basis().ordinal();
      t.figures[slot * STRIDE + STATUS] = previous == null ? 0 : previous.ordinal() + 1;
      inputs[at + HORIZON_ADV20] = -1;
      t.position[slot] = null;
      day(t, slot, pledge, bankTerms, today);
    }

    /**
     * The slot's term factor and position on {@code today}: the position is made again when the
     * pledge changed (fill clears it) or an expiring right's term factor moved with the day, with
     * the bank's {@code terms} (those of the position it replaces, after a change of day). The
     * caller has the slot open.
     */
    void day(Table t, int slot, Pledge pledge, BankTerms terms, LocalDate today) {
      long factor =
          instrument.expiring()
              ? TermFactor.micro(pledge.rightStart(), pledge.rightExpiry(), today)
              : TermFactor.ONE;
      int at = slot * INPUTS;
      if (t.position[slot] == null || inputs[at + Valuer.TERM_FACTOR] != factor) {
        Valuation.Position position = Valuer.position(pledge, factor, terms);
        t.position[slot] = position;
        Valuer.inputs(position, inputs, at);
      }
      inputs[at + DAY] = today.toEpochDay();
    }

    /**
     * The slot's horizon for the market's ADV20 and stale days, worked out again when they move.
     */
    long horizon(int slot, long adv20, int staleDays) {
      int at = slot * INPUTS;
      if (inputs[at + HORIZON_ADV20] != adv20 || inputs[at + HORIZON_STALE_DAYS] != staleDays) {
        inputs[at + HORIZON] =
            Haircut.horizonDays(instrument.tier(), inputs[at + Valuer.QUANTITY], adv20, staleDays);
        inputs[at + HORIZON_ADV20] = adv20;
        inputs[at + HORIZON_STALE_DAYS] = staleDays;
      }
      return inputs[at + HORIZON];
    }

    /**
     * The number of {@code market} valued at {@code now} for an upsert: the last upsert's on the
     * basis when it is the same market at the same instant (a book loaded at start shares one per
     * basis, not one per pledge), else a new one.
     */
    int upsertMarket(MarkBasis basis, MarketInputs market, Instant now) {
      int b = basis.ordinal();
      Marked last = markets.get(upserted[b]);
      if (last != null && last.valuedAt.equals(now) && last.market.equals(market)) {
        return upserted[b];
      }
      upserted[b] = markets.add(new Marked(market, now));
      return upserted[b];
    }

    /**
     * Values the slot at the market (the caller has it open) and keeps the figures; returns the
     * status.
     */
    CoverageStatus value(Table t, int slot, MarketInputs market, long modelHaircut, int at) {
      int base = slot * STRIDE;
      int in = slot * INPUTS;
      CoverageStatus status =
          Valuer.figures(
              inputs,
              in,
              inputs[in + HORIZON],
              modelHaircut,
              market.markCents(),
              t.status(slot),
              t.figures,
              base + FIGURES);
      t.figures[base + STATUS] = status.ordinal() + 1;
      markets.assign(t.figures, base, at);
      return status;
    }
  }

  private static final MarkBasis[] BASES = MarkBasis.values();

  /** Horizons up to this many days have their haircut memoised per quote; longer ones are rare. */
  private static final int MEMO_DAYS = 512;

  private final Map<String, Entry> byId = new ConcurrentHashMap<>();

  /** Live pledges per bank, read by any thread. */
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> liveByBank =
      new ConcurrentHashMap<>();

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

  /** The live pledges of {@code bank}, from any thread. */
  public int size(String bank) {
    java.util.concurrent.atomic.AtomicInteger live = liveByBank.get(bank);
    return live == null ? 0 : live.get();
  }

  private java.util.concurrent.atomic.AtomicInteger live(String bank) {
    return liveByBank.computeIfAbsent(bank, b -> new java.util.concurrent.atomic.AtomicInteger());
  }

  public Optional<Valuation> valuation(String pledgeId) {
    Entry entry = byId.get(pledgeId);
    return entry == null ? Optional.empty() : Optional.ofNullable(read(entry));
  }

  /**
   * How many market numbers the instrument's shelf has given out (its high-water mark): bounded by
   * its pledges and the bases, however many quotes it was revalued at (numbers are reused).
   */
  int marketNumbers(String instrument) {
    return byInstrument.get(instrument).markets.size;
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
    Table table = shelf.table;
    List<Pledge> on = new ArrayList<>(shelf.size);
    for (int i = 0; i < shelf.size; i++) {
      on.add(table.entries[i].pledge);
    }
    return on;
  }

  /** The latest valuation of every pledge; safe from any thread, weakly consistent. */
  public Iterable<Valuation> valuations() {
    return valuations(bank -> true);
  }

  /**
   * The latest valuation of every pledge of the banks {@code sees} accepts, read as the iteration
   * reaches it (the other banks' slots are not read); safe from any thread, weakly consistent.
   */
  public Iterable<Valuation> valuations(Predicate<String> sees) {
    return () ->
        new Iterator<>() {
          private final Iterator<Entry> entries = byId.values().iterator();
          private Valuation next = advance();

          private Valuation advance() {
            while (entries.hasNext()) {
              Entry entry = entries.next();
              if (sees.test(entry.pledge.bank())) {
                Valuation valuation = read(entry);
                if (valuation != null) {
                  return valuation;
                }
              }
            }
            return null;
          }

          @Override
          public boolean hasNext() {
            return next != null;
          }

          @Override
          public Valuation next() {
            if (next == null) {
              throw new NoSuchElementException();
            }
            Valuation current = next;
            next = advance();
            return current;
          }
        };
  }

  public void forEachValuation(Consumer<Valuation> consumer) {
    valuations().forEach(consumer);
  }

  /**
   * The entry's latest valuation, from any thread; null once it is removed. Looks again while the
   * engine writes the slot or moves the entry (a few nanoseconds per slot).
   */
  private static Valuation read(Entry entry) {
    long since = 0;
    for (int attempt = 0; ; attempt++) {
      if (entry.removed) {
        return null;
      }
      int slot = entry.slot;
      Table table = entry.shelf.table;
      Valuation valuation = slot < table.entries.length ? table.read(slot, entry) : null;
      if (valuation != null) {
        return valuation;
      }
      if (attempt < 1_000) {
        Thread.onSpinWait();
      } else if (since == 0) {
        since = System.nanoTime();
      } else if (System.nanoTime() - since > SETTLE_NANOS) {
        // the engine holds a slot open for a valuation's arithmetic: this is a fault, not a wait
        throw new IllegalStateException(
            "the valuation of " + entry.pledge.id() + " did not settle within a second");
      } else {
        Thread.yield(); // the engine was descheduled with the slot open
      }
    }
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
    boolean added = entry == null;
    if (added) {
      entry = new Entry(pledge);
      byInstrument.get(pledge.instrument()).add(entry);
      live(pledge.bank()).incrementAndGet();
    } else {
      if (!entry.pledge.bank().equals(pledge.bank())) {
        live(entry.pledge.bank()).decrementAndGet();
        live(pledge.bank()).incrementAndGet();
      }
      previous = entry.shelf.table.status(entry.slot);
      if (!entry.pledge.instrument().equals(pledge.instrument())) {
        entry.shelf.remove(entry.slot);
        entry.pledge = pledge;
        byInstrument.get(pledge.instrument()).add(entry);
      } else {
        entry.pledge = pledge;
      }
    }
    Shelf shelf = byInstrument.get(pledge.instrument());
    Table table = shelf.table;
    int slot = entry.slot;
    MarketInputs market = MarketInputs.of(quote, pledge.basis());
    long stamp = table.open(slot);
    shelf.fill(table, slot, pledge, terms.apply(pledge), previous, today);
    long horizon = shelf.horizon(slot, market.adv20Micro(), market.staleDays());
    CoverageStatus status =
        shelf.value(
            table,
            slot,
            market,
            Haircut.haircutMicro(shelf.instrument.tier(), market.sigma(), horizon),
            shelf.upsertMarket(pledge.basis(), market, now));
    table.close(slot, stamp);
    if (added) {
      byId.put(pledge.id(), entry); // readers find it valued
    }
    return previous == null || previous == status
        ? Optional.empty()
        : Optional.of(new Transition(pledge, previous, status, table.valuation(slot)));
  }

  /**
   * The pledges one revaluation revalued, in slot order, each read back from the book when a reader
   * asks for its valuation: the engine builds no valuation per pledge for its push batch (a million
   * of them survived into the next young collection, which copied them), and a hub builds only
   * those of the banks its desks see. A valuation read is the pledge's latest: the one this
   * revaluation made or a later one; null once the pledge is released. A pledge moved to another
   * slot since (a release elsewhere on its shelf) is still found: the batch holds the pledge, not
   * the slot. Read from any thread once published.
   */
  public static final class Revalued implements ValuedPledges {
    private Entry[] entries;
    private int size;

    /** Adds a pledge; {@code atMost}: how many the revaluation can still add, this one included. */
    private void add(Entry entry, int atMost) {
      if (entries == null) {
        entries = new Entry[atMost];
      }
      entries[size++] = entry;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public String bank(int i) {
      return entries[i].pledge.bank();
    }

    @Override
    public Valuation valuation(int i) {
      return read(entries[i]);
    }
  }

  /** What a revaluation did: the status changes, and the pledges it revalued. */
  public record Revaluation(List<Transition> transitions, Revalued revalued) {}

  /** Where the revaluation loop hands each revalued slot; returns its valuation if it built one. */
  private interface Revalues {
    Valuation revalued(Table table, int slot, int atMost);
  }

  /**
   * Revalues the pledges on the quote's instrument whose valuation inputs the quote changed; their
   * valuations are built and go to {@code out}, status changes are returned. A quote that changes
   * no pledge's inputs hands out nothing.
   */
  public List<Transition> revalue(
      Quote quote, Instant now, LocalDate today, Consumer<Valuation> out) {
    return revalue(
        quote,
        now,
        today,
        (table, slot, atMost) -> {
          Valuation valuation = table.valuation(slot);
          out.accept(valuation);
          return valuation;
        });
  }

  /**
   * Revalues the pledges on the quote's instrument whose valuation inputs the quote changed, as the
   * engine does: builds a valuation only for a status change, and names the pledges revalued for
   * readers to read back ({@link Revalued}).
   */
  public Revaluation revalue(Quote quote, Instant now, LocalDate today) {
    Revalued revalued = new Revalued();
    List<Transition> transitions =
        revalue(
            quote,
            now,
            today,
            (table, slot, atMost) -> {
              revalued.add(table.entries[slot], atMost);
              return null;
            });
    return new Revaluation(transitions, revalued);
  }

  private List<Transition> revalue(Quote quote, Instant now, LocalDate today, Revalues out) {
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
    Table table = shelf.table;
    int[] marks = new int[BASES.length]; // the market each basis is valued at, once used
    java.util.Arrays.fill(marks, NONE);
    int[] seenNumber = new int[BASES.length];
    java.util.Arrays.fill(seenNumber, NONE - 1);
    boolean[] seenAlike = new boolean[BASES.length];
    long day = today.toEpochDay();
    for (int i = 0; i < shelf.size; i++) {
      int b = (int) shelf.inputs[i * INPUTS + BASIS];
      MarketInputs market = next[b];
      // whether the market the slot was valued at is alike the new one, once per market number
      int number = (int) table.figures[i * STRIDE + MARK];
      boolean alike;
      if (number == seenNumber[b]) {
        alike = seenAlike[b];
      } else {
        Marked valuedAt = table.markets.get(number);
        MarketInputs before = valuedAt == null ? null : valuedAt.market;
        alike =
            before != null && (before == shelf.last[b] ? !moved[b] : before.valuesAlike(market));
        seenNumber[b] = number;
        seenAlike[b] = alike;
      }
      boolean sameDay = shelf.inputs[i * INPUTS + DAY] == day;
      if (alike && sameDay) {
        continue;
      }
      long stamp = table.open(i);
      if (!sameDay) {
        shelf.day(table, i, shelf.pledge[i], table.position[i].bankTerms(), today);
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
      if (marks[b] == NONE) {
        marks[b] = shelf.markets.add(new Marked(market, now));
        java.util.Arrays.fill(seenNumber, NONE - 1); // the number may be one dropped just now
      }
      CoverageStatus previous = table.status(i);
      CoverageStatus status = shelf.value(table, i, market, haircut, marks[b]);
      table.close(i, stamp);
      Valuation valuation = out.revalued(table, i, shelf.size - i);
      if (previous != null && previous != status) {
        transitions.add(
            new Transition(
                shelf.pledge[i],
                previous,
                status,
                valuation != null ? valuation : table.valuation(i)));
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
    entry.removed = true;
    byId.remove(entry.pledge.id());
    live(entry.pledge.bank()).decrementAndGet();
    entry.shelf.remove(entry.slot);
  }
}
