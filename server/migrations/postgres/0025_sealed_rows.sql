-- Sealed personal data is bound to its row: each ciphertext is sealed with the row's `seal_ref` (a random
-- reference made before the row is inserted, never changed) as associated data, with the table and the
-- column (`crate::crypto::Context`), so a ciphertext copied to another row or column no longer opens.
-- Rows sealed before this migration have none until `sheguan keys reseal` seals them again.
ALTER TABLE contribution_recipients ADD COLUMN seal_ref TEXT;
ALTER TABLE petitions ADD COLUMN seal_ref TEXT;
ALTER TABLE illegal_cases ADD COLUMN seal_ref TEXT;

-- Organizations' contact phones are sealed too (DOMAIN.md §12): `contact_phone` keeps only phones not yet
-- sealed (the server seals them when it starts); the sealed phone, its key and its mask live beside it.
ALTER TABLE organizations ADD COLUMN seal_ref TEXT;
ALTER TABLE organizations ADD COLUMN phone_key_id TEXT;
ALTER TABLE organizations ADD COLUMN phone_cipher TEXT;
ALTER TABLE organizations ADD COLUMN phone_masked TEXT;

-- A seal reference is one row's: the same one on two rows would let a ciphertext copied with it open there.
CREATE UNIQUE INDEX contribution_recipients_seal_ref ON contribution_recipients (seal_ref);
CREATE UNIQUE INDEX petitions_seal_ref ON petitions (seal_ref);
CREATE UNIQUE INDEX illegal_cases_seal_ref ON illegal_cases (seal_ref);
CREATE UNIQUE INDEX organizations_seal_ref ON organizations (seal_ref);
