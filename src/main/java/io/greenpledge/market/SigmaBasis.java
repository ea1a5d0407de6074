package io.greenpledge.market;

/**
 * Where a σ comes from: the journal's returns (EWMA), or the catalog prior while history is short.
 */
public enum SigmaBasis {
  EWMA,
  PRIOR
}
