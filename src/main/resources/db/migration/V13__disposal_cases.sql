-- Disposal cases: a margin call escalated (a pledge in DISPOSAL past its due time) opens one case,
-- decided under four-eyes: DISPOSE (the sale, the loan's recovery; the pledge is released) or
-- FORBEAR (a reason and until when; the case reopens when that passes).
CREATE TABLE disposal_cases (
  id          bigserial PRIMARY KEY,
  bank        text NOT NULL,
  pledge_id   text NOT NULL REFERENCES pledges (id),
  call_id     bigint NOT NULL UNIQUE REFERENCES margin_calls (id),
  instrument  text NOT NULL,
  state       text NOT NULL CHECK (state IN ('OPEN', 'DISPOSED', 'FORBORNE')),
  opened_at   timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  -- DISPOSE: quantity, price, proceeds, soldOn, recovery, shortfall, surplus; FORBEAR: reason, until
  decision    jsonb,
  decided_by  text,
  forbear_until timestamptz,
  version     bigint NOT NULL DEFAULT 1
);
CREATE INDEX disposal_cases_bank ON disposal_cases (bank, id);
