-- The book's figures through a day (GET /portfolio/trend) read only the 15-minute snapshots.
CREATE INDEX valuations_snapshots ON valuations (valued_at, bank) WHERE reason = 'SNAPSHOT';
