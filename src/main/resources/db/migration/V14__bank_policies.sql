-- A bank's own choice of the actions that need a second risk-admin (four-eyes), overriding the
-- gateway's default (GP_FOUR_EYES). Relaxing it is itself a four-eyes change.
CREATE TABLE bank_policies (
  bank        text PRIMARY KEY,
  four_eyes   text[] NOT NULL,
  updated_at  timestamptz NOT NULL,
  updated_by  text NOT NULL,
  version     bigint NOT NULL DEFAULT 1
);
