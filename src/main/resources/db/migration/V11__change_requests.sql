-- Four-eyes: a change that needs a second risk-admin of the same bank waits here as a request until
-- it is approved (and then applied), rejected, or expires.
CREATE TABLE change_requests (
  id               bigserial PRIMARY KEY,
  bank             text NOT NULL,
  action           text NOT NULL,
  entity_id        text NOT NULL,
  payload          text NOT NULL,
  maker            text NOT NULL,
  maker_request_id text NOT NULL,
  created_at       timestamptz NOT NULL,
  expires_at       timestamptz NOT NULL,
  state            text NOT NULL DEFAULT 'PENDING',
  checker          text,
  decided_at       timestamptz,
  reason           text
);
CREATE INDEX change_requests_bank ON change_requests (bank, state, id);
