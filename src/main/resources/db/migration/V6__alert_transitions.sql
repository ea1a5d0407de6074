-- A status change is the pledge's n-th transition: the alert writer reads each pledge's last one
-- (and their count) under the bank's lock before storing the next.
CREATE INDEX alerts_pledge_transitions ON alerts (pledge_id, seq) WHERE kind = 'STATUS_CHANGE';
