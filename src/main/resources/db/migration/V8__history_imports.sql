-- History imports: every load of a vendor export or exchange file, so an import can be listed and
-- undone, and the same file is not loaded twice (its SHA-256).
CREATE TABLE history_imports (
  id           bigserial PRIMARY KEY,
  file_name    text NOT NULL,
  file_sha256  text NOT NULL,
  layout       text NOT NULL,
  instruments  text[] NOT NULL,
  first_day    date,
  last_day     date,
  days_written integer NOT NULL,
  days_same    integer NOT NULL,
  refused      integer NOT NULL,
  imported_by  text NOT NULL,
  imported_at  timestamptz NOT NULL DEFAULT now(),
  undone_at    timestamptz,
  -- A trades import is journaled like live trades under this source ("import:<sha256 prefix>").
  trade_source text
);
CREATE INDEX history_imports_sha ON history_imports (file_sha256) WHERE undone_at IS NULL;

-- A daily bar written by an import names it; bars built from journaled ticks have none, and an
-- import never overwrites them (live data wins over a file).
ALTER TABLE daily_bars ADD COLUMN import_id bigint REFERENCES history_imports (id);
CREATE INDEX daily_bars_import ON daily_bars (import_id) WHERE import_id IS NOT NULL;
