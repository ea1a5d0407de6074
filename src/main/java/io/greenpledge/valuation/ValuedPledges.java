package io.greenpledge.valuation;

import java.util.List;

/**
 * Pledges and their valuations, by index: what a push batch carries. The bank is read without
 * building a valuation, so a reader that wants a few banks' pledges builds only theirs.
 */
public interface ValuedPledges {

  int size();

  /** The bank of the {@code i}-th pledge. */
  String bank(int i);

  /** The {@code i}-th pledge's valuation; null when the pledge was released since. */
  Valuation valuation(int i);

  /** Every pledge's valuation, read now (those released since left out). */
  default List<Valuation> all() {
    List<Valuation> all = new java.util.ArrayList<>(size());
    for (int i = 0; i < size(); i++) {
      Valuation valuation = valuation(i);
      if (valuation != null) {
        all.add(valuation);
      }
    }
    return all;
  }

  /** Valuations already built (a pledge's change, tests). */
  static ValuedPledges of(List<Valuation> valuations) {
    return new ValuedPledges() {
      @Override
      public int size() {
        return valuations.size();
      }

      @Override
      public String bank(int i) {
        return valuations.get(i).bank();
      }

      @Override
      public Valuation valuation(int i) {
        return valuations.get(i);
      }
    };
  }
}
