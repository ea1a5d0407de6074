-- The tick journal's foreign key to the catalog looked every tick up on its own, about a fifth of
-- every journal write (the ingest path's limit). It is replaced by the same rule checked once per
-- statement over the statement's new rows, and a guard on the catalog's side, so a tick still never
-- names an instrument the catalog does not hold. The error is the foreign key's (SQLSTATE 23503),
-- so the journal isolates the offending tick as before.
ALTER TABLE ticks DROP CONSTRAINT ticks_instrument_fkey;

CREATE FUNCTION ticks_instrument_known() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  unknown text;
BEGIN
  -- the statement's few distinct instruments, each looked up once
  SELECT n.instrument INTO unknown FROM (SELECT DISTINCT instrument FROM new_ticks) n
   WHERE NOT EXISTS (SELECT 1 FROM instruments i WHERE i.id = n.instrument) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'tick for instrument % which the catalog does not hold', unknown
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER ticks_instrument_known_on_insert AFTER INSERT ON ticks
  REFERENCING NEW TABLE AS new_ticks FOR EACH STATEMENT EXECUTE FUNCTION ticks_instrument_known();
CREATE TRIGGER ticks_instrument_known_on_update AFTER UPDATE ON ticks
  REFERENCING NEW TABLE AS new_ticks FOR EACH STATEMENT EXECUTE FUNCTION ticks_instrument_known();

CREATE FUNCTION instrument_without_ticks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM ticks WHERE instrument = OLD.id) THEN
    RAISE EXCEPTION 'instrument % has journaled ticks', OLD.id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN OLD;
END $$;

CREATE TRIGGER instrument_without_ticks BEFORE DELETE OR UPDATE OF id ON instruments
  FOR EACH ROW EXECUTE FUNCTION instrument_without_ticks();
