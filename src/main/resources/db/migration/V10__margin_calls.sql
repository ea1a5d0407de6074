-- Margin calls: one live call per pledge (a partial unique index makes opening idempotent across
-- replicas), and every state change of a call with who or what made it.
CREATE TABLE margin_calls (
  id           bigserial PRIMARY KEY,
  bank         text NOT NULL,
  pledge_id    text NOT NULL REFERENCES pledges (id),
  instrument   text NOT NULL,
  state        text NOT NULL,
  opened_in    text NOT NULL,
  amount_due   numeric(20, 2) NOT NULL,
  quantity_due numeric(20, 4),
  opened_at    timestamptz NOT NULL,
  due_at       timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  version      bigint NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX margin_calls_one_live ON margin_calls (pledge_id)
  WHERE state IN ('OPEN', 'ACKNOWLEDGED', 'DISPUTED', 'PARTIALLY_MET', 'OVERDUE', 'ESCALATED');
CREATE INDEX margin_calls_bank ON margin_calls (bank, id);

CREATE TABLE margin_call_events (
  id         bigserial PRIMARY KEY,
  call_id    bigint NOT NULL REFERENCES margin_calls (id),
  at         timestamptz NOT NULL,
  from_state text,
  to_state   text NOT NULL,
  cause      text NOT NULL,
  actor      text,
  request_id text,
  reason     text,
  amount_due numeric(20, 2)
);
CREATE INDEX margin_call_events_call ON margin_call_events (call_id, id);
