-- Alerts with a gap-free sequence per bank. The idempotency key makes an alert emitted twice (by a
-- retry, or by two replicas valuing the same tick) a single row.
CREATE TABLE alerts (
  id              bigserial PRIMARY KEY,
  bank            text NOT NULL,
  seq             bigint NOT NULL,
  kind            text NOT NULL,
  idempotency_key text NOT NULL UNIQUE,
  pledge_id       text,
  instrument      text,
  payload         jsonb NOT NULL,
  occurred_at     timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (bank, seq)
);
