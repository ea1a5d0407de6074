-- Rights added to a live pledge (more units pledged to meet a margin call come under their own
-- registry certificate): one row per added certificate, checked for double pledges like the first.
CREATE TABLE pledge_certificates (
  pledge_id   text NOT NULL REFERENCES pledges (id),
  certificate text NOT NULL,
  quantity    numeric(20, 4) NOT NULL CHECK (quantity > 0),
  added_at    timestamptz NOT NULL,
  PRIMARY KEY (pledge_id, certificate)
);
CREATE INDEX pledge_certificates_certificate ON pledge_certificates (certificate);
