-- Wall screens: a named display holds a read-only token that renews itself and can be revoked.
CREATE TABLE displays (
  id              text PRIMARY KEY,
  bank            text,                       -- null: a regulator's wall
  name            text NOT NULL,
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL,
  last_renewed_at timestamptz,
  revoked_at      timestamptz,
  revoked_by      text
);
CREATE INDEX displays_bank ON displays (bank);
