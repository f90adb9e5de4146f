-- Lists that page in the order of an index stop after their page instead of sorting every match:
-- the current (or ended) credit listings newest first, alone or by reason (by list, the index of 0011 has
-- that order already).
CREATE INDEX credit_listings_state_order ON credit_listings (ended_on, decided_on, id);
CREATE INDEX credit_listings_state_reason ON credit_listings (ended_on, reason, decided_on, id);
-- The start's pass that seals organizations' phones written in clear finds none without reading the
-- registry: only rows with a phone in clear are in this index.
CREATE INDEX organizations_phone_in_clear ON organizations (id) WHERE contact_phone IS NOT NULL;
