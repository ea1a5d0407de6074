-- The audit trail: every write, who made it, from where, the state before and after. Append-only
-- (a trigger refuses UPDATE and DELETE) and hash-chained: each entry's hash covers the previous
-- entry's hash and its own fields as stored, so a changed or removed entry breaks the chain
-- ("audit verify"). Before and after are kept as the exact JSON text that was hashed.
CREATE TABLE audit_log (
  id             bigint PRIMARY KEY,
  bank           text,
  at             timestamptz NOT NULL,
  actor          text NOT NULL,
  action         text NOT NULL,
  entity         text NOT NULL,
  entity_id      text NOT NULL,
  request_id     text NOT NULL,
  client_address text NOT NULL,
  before_state   text,
  after_state    text,
  prev_hash      text NOT NULL,
  hash           text NOT NULL
);
CREATE SEQUENCE audit_log_id_seq;
CREATE INDEX audit_log_bank_id ON audit_log (bank, id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
