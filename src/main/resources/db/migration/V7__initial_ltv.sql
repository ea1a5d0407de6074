-- Lines as a bank writes them: the initial loan-to-value (质押率, e.g. 0.6) is kept exactly as
-- written. The derived initial coverage (1 / initial_ltv) is still written beside it for the
-- original check constraint, but nothing reads it.
ALTER TABLE pledges ADD COLUMN initial_ltv numeric(7, 6);
UPDATE pledges SET initial_ltv = round((1 / initial_coverage)::numeric, 6);
ALTER TABLE pledges ALTER COLUMN initial_ltv SET NOT NULL;
ALTER TABLE pledges ADD CONSTRAINT pledges_initial_ltv CHECK (initial_ltv > 0 AND initial_ltv <= 1);
