-- Accounts' phone numbers and the phone inside a registration matter's application are sealed at rest
-- (DOMAIN.md §12), as organizations' contact phones are since 0025: the sealed phone, its key and, for
-- accounts, its mask and keyed index live beside the row; the columns in clear keep only what is not sealed
-- yet (the server seals it when it starts).

-- Accounts: `phone` keeps a number only until it is sealed. Sign-in by phone and the uniqueness of a
-- number go through `phone_index` (HMAC-SHA256 of the number under a key derived from the matching key).
ALTER TABLE users ADD COLUMN seal_ref TEXT;
ALTER TABLE users ADD COLUMN phone_key_id TEXT;
ALTER TABLE users ADD COLUMN phone_cipher TEXT;
ALTER TABLE users ADD COLUMN phone_masked TEXT;
ALTER TABLE users ADD COLUMN phone_index TEXT;
CREATE UNIQUE INDEX users_phone_index_key ON users (phone_index);
CREATE UNIQUE INDEX users_seal_ref ON users (seal_ref);
-- The start's pass finds the numbers still in clear without reading every account.
CREATE INDEX users_phone_in_clear ON users (id) WHERE phone IS NOT NULL;

-- Matters: the application (`payload_json`) keeps its contact phone only until it is sealed into
-- `phone_cipher`; `phone_in_clear` marks the applications that may still hold one: every application that
-- names the field when this migration runs, and those a store without keys writes.
ALTER TABLE matters ADD COLUMN seal_ref TEXT;
ALTER TABLE matters ADD COLUMN phone_key_id TEXT;
ALTER TABLE matters ADD COLUMN phone_cipher TEXT;
ALTER TABLE matters ADD COLUMN phone_in_clear BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE matters SET phone_in_clear = TRUE WHERE payload_json LIKE '%contact_phone%';
CREATE UNIQUE INDEX matters_seal_ref ON matters (seal_ref);
CREATE INDEX matters_phone_in_clear ON matters (id) WHERE phone_in_clear;
