package io.greenpledge.stream;

import io.greenpledge.valuation.Valuation;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The latest valuation of every active pledge, written by the risk engine, read by REST. */
public final class ValuationBoard {

  private final Map<String, Valuation> byPledge = new ConcurrentHashMap<>();

  public void put(Valuation valuation) {
    byPledge.put(valuation.pledgeId(), valuation);
  }

  public void remove(String pledgeId) {
    byPledge.remove(pledgeId);
  }

  public Optional<Valuation> get(String pledgeId) {
    return Optional.ofNullable(byPledge.get(pledgeId));
  }

  public Collection<Valuation> all() {
    return byPledge.values();
  }
}
