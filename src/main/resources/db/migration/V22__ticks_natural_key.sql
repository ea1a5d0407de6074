-- The journal is keyed by its natural key, (source, seq), already unique and NOT NULL; id, the order
-- the market judged the ticks in, loses its index: nothing looks a tick up by id (a replay reads a
-- day's ticks by instrument and time and orders them by id), and the id's b-tree cost every journal
-- write a third index insert per tick. The gateway draws the journal's ids from ticks_id_seq, so they
-- stay unique without the index. Logical replication identifies a row by (source, seq).
ALTER TABLE ticks DROP CONSTRAINT ticks_pkey;
ALTER TABLE ticks REPLICA IDENTITY USING INDEX ticks_source_seq_key;
