package io.greenpledge.engine;

import io.greenpledge.valuation.Valuation;
import java.util.List;

/** The valuations one mark change (or one pledge change) produced. */
public record ValuationBatch(String instrument, List<Valuation> valuations) {}
