-- The pledge book. Money in CNY with two decimals; lines as coverage ratios.
CREATE TABLE pledges (
  id               text PRIMARY KEY,
  bank             text NOT NULL,
  borrower         text NOT NULL,
  loan_id          text NOT NULL,
  instrument       text NOT NULL REFERENCES instruments (id),
  quantity         numeric(20, 4) NOT NULL CHECK (quantity > 0),
  certificate      text NOT NULL,
  right_start      date,
  right_expiry     date,
  outstanding      numeric(20, 2) NOT NULL CHECK (outstanding >= 0),
  -- Lines are exact doubles (the default initial coverage is 1/0.6), so reloads value the same.
  initial_coverage double precision NOT NULL,
  warning_line     double precision NOT NULL,
  margin_call_line double precision NOT NULL,
  disposal_line    double precision NOT NULL,
  mark_basis       text NOT NULL,
  state            text NOT NULL DEFAULT 'ACTIVE' CHECK (state IN ('ACTIVE', 'RELEASED')),
  -- Last coverage status, so hysteresis and alerts survive a restart.
  status           text,
  version          bigint NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  released_at      timestamptz,
  CHECK (right_start IS NULL OR right_expiry IS NULL OR right_expiry > right_start),
  CHECK (initial_coverage >= warning_line AND warning_line > margin_call_line
         AND margin_call_line > disposal_line AND disposal_line > 0)
);
CREATE INDEX pledges_bank_id ON pledges (bank, id);
CREATE INDEX pledges_live_certificate ON pledges (certificate) WHERE state = 'ACTIVE';
-- One live pledge per loan and certificate within a bank: a resent create is a conflict, not a copy.
CREATE UNIQUE INDEX pledges_live_loan_certificate ON pledges (bank, loan_id, certificate) WHERE state = 'ACTIVE';
