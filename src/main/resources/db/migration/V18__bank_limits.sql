-- A bank's eligibility schedule and concentration limits, as the API takes and serves them.
CREATE TABLE bank_limits (
  bank        text PRIMARY KEY,
  limits      jsonb NOT NULL,
  updated_at  timestamptz NOT NULL,
  updated_by  text NOT NULL,
  version     bigint NOT NULL DEFAULT 1
);
