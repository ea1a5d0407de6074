package io.greenpledge.market;

/** When simulated markets trade and against which clock staleness is judged. */
public enum TradingHours {
  /** Every hour of every day is trading time: a demo is alive at night. */
  ALWAYS,
  /** The exchange sessions (Mon–Fri 09:30–11:30, 13:00–15:00 Asia/Shanghai). */
  EXCHANGE
}
