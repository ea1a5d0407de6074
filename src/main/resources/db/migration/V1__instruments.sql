-- The catalog; rows are upserted from the code's seed catalog at every start.
CREATE TABLE instruments (
  id              text PRIMARY KEY,
  name            text NOT NULL,
  name_en         text NOT NULL,
  category        text NOT NULL,
  unit            text NOT NULL,
  currency        text NOT NULL,
  liquidity_tier  text NOT NULL,
  reference_price numeric(18, 4) NOT NULL CHECK (reference_price > 0),
  daily_limit     numeric(6, 4) NOT NULL,
  expiring        boolean NOT NULL
);
