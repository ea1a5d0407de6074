package io.greenpledge.engine.risk;

import io.greenpledge.valuation.PledgeBook;
import io.greenpledge.valuation.Valuation;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * REST's read-only window on the risk engine's book: the latest valuation of every active pledge,
 * read lock-free from any event loop while the engine revalues.
 */
public final class ValuationBoard {

  private final PledgeBook book;

  public ValuationBoard(PledgeBook book) {
    this.book = book;
  }

  public Optional<Valuation> get(String pledgeId) {
    return book.valuation(pledgeId);
  }

  /** How many live pledges {@code bank} has (null: every bank). */
  public int count(String bank) {
    return bank == null ? book.size() : book.size(bank);
  }

  /**
   * The current valuations of the banks {@code sees} accepts, each read as the iteration reaches
   * it, with no list of them kept (a run over the whole book belongs on a worker).
   */
  public Iterable<Valuation> seenBy(Predicate<String> sees) {
    return book.valuations(sees);
  }
}
