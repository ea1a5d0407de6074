package io.greenpledge.market;

/** What kind of environmental right an instrument is. */
public enum Category {
  CARBON,
  EMISSION_PERMIT,
  ENERGY_USE_RIGHT
}
