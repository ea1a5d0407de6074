-- Cash margin (保证金) a borrower posts on a pledge to meet a margin call: it counts at 100 %
-- beside the right's market value (coverage, LTV, eligible value, top-up).
ALTER TABLE pledges ADD COLUMN cash_margin numeric(20, 2) NOT NULL DEFAULT 0 CHECK (cash_margin >= 0);
