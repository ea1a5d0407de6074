-- A bank's own time to meet a margin call, in trading days (null: the gateway's GP_CALL_DUE_DAYS).
ALTER TABLE bank_policies ADD COLUMN call_due_days integer CHECK (call_due_days BETWEEN 1 AND 30);
