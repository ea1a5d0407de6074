-- The tick journal: every accepted tick, written in batches. (source, seq) makes a re-sent batch
-- idempotent.
CREATE TABLE ticks (
  id          bigserial PRIMARY KEY,
  instrument  text NOT NULL REFERENCES instruments (id),
  price       numeric(18, 4) NOT NULL CHECK (price > 0),
  quantity    numeric(20, 4) NOT NULL CHECK (quantity > 0),
  ts          timestamptz NOT NULL,
  source      text NOT NULL,
  seq         bigint NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, seq)
);
CREATE INDEX ticks_instrument_ts ON ticks (instrument, ts);

-- Daily bars kept up to date by the journal writer in the same statement as the ticks, so start-up
-- and daily candles never scan the whole journal. "day" is the trading day in Asia/Shanghai.
CREATE TABLE daily_bars (
  instrument text NOT NULL REFERENCES instruments (id),
  day        date NOT NULL,
  open       numeric(18, 4) NOT NULL,
  open_at    timestamptz NOT NULL,
  high       numeric(18, 4) NOT NULL,
  low        numeric(18, 4) NOT NULL,
  close      numeric(18, 4) NOT NULL,
  close_at   timestamptz NOT NULL,
  volume     numeric(24, 4) NOT NULL,
  notional   numeric(30, 4) NOT NULL,
  trades     bigint NOT NULL,
  PRIMARY KEY (instrument, day)
);

-- The last seq journaled per source, so a restarted gateway keeps rejecting duplicates.
CREATE TABLE tick_sources (
  source   text PRIMARY KEY,
  last_seq bigint NOT NULL,
  last_ts  timestamptz NOT NULL
);
