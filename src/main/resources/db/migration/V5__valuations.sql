-- Valuation history: every status change, every change of the pledge, and periodic snapshots.
CREATE TABLE valuations (
  id           bigserial PRIMARY KEY,
  pledge_id    text NOT NULL,
  bank         text NOT NULL,
  valued_at    timestamptz NOT NULL,
  reason       text NOT NULL,
  status       text NOT NULL,
  coverage     double precision,
  market_value numeric(20, 2) NOT NULL,
  payload      jsonb NOT NULL
);
CREATE INDEX valuations_pledge_time ON valuations (pledge_id, valued_at);
