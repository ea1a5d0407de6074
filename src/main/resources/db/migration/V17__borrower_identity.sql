-- Borrowers carry their unified social credit code (GB 32100) and, optionally, their group: the
-- same borrower at two banks, and a bank's concentration in one borrower or group, become visible.
-- Pledges registered before stay without a code (null).
ALTER TABLE pledges ADD COLUMN borrower_code text;
ALTER TABLE pledges ADD COLUMN borrower_group text;
CREATE INDEX pledges_live_borrower ON pledges (borrower_code) WHERE state = 'ACTIVE';
