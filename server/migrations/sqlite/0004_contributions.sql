-- The contribution ledger (DOMAIN.md §10): entries, scholarship recipients (encrypted), evidence files.
CREATE TABLE contributions (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id      INTEGER NOT NULL REFERENCES organizations (id),
    -- The organization's division and city when the entry was recorded: scope and totals by city.
    division_code        TEXT NOT NULL,
    city_code            TEXT NOT NULL,
    kind                 TEXT NOT NULL CHECK (kind IN ('rural_funds', 'rural_goods', 'project', 'consumption',
                                                       'employment', 'scholarship', 'expo', 'investment')),
    date                 TEXT NOT NULL,
    year                 INTEGER NOT NULL,
    amount_fen           BIGINT NOT NULL CHECK (amount_fen >= 0),
    people               BIGINT,
    expo_role            TEXT CHECK (expo_role IN ('hosted', 'joined')),
    village_code         TEXT REFERENCES villages (code),
    description          TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'verified', 'returned')),
    return_reason        TEXT,
    corrects_id          INTEGER REFERENCES contributions (id),
    superseded_by        INTEGER REFERENCES contributions (id),
    idempotency_key      TEXT,
    created_by           INTEGER REFERENCES users (id),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    submitted_at         TEXT,
    reviewed_at          TEXT,
    reviewed_by          INTEGER REFERENCES users (id),
    -- A retried submission finds the first one instead of recording a second.
    UNIQUE (organization_id, idempotency_key)
);
CREATE INDEX contributions_org ON contributions (organization_id, year, kind);
CREATE INDEX contributions_queue ON contributions (status, submitted_at, id);
-- Covers the province totals: verified, not superseded, by year, kind and city.
CREATE INDEX contributions_totals ON contributions (status, superseded_by, year, kind, city_code, amount_fen, people);

-- Names and ID numbers are encrypted (ChaCha20-Poly1305) under the key named by key_id; id_hash is an
-- HMAC-SHA256 of the ID number under a separate key, to find one child funded twice without decrypting.
CREATE TABLE contribution_recipients (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    contribution_id      INTEGER NOT NULL REFERENCES contributions (id) ON DELETE CASCADE,
    key_id               TEXT NOT NULL,
    name_cipher          TEXT NOT NULL,
    id_number_cipher     TEXT NOT NULL,
    name_masked          TEXT NOT NULL,
    id_number_masked     TEXT NOT NULL,
    id_hash              TEXT NOT NULL,
    school               TEXT NOT NULL,
    admission            TEXT NOT NULL CHECK (admission IN ('undergraduate', 'college')),
    amount_fen           BIGINT NOT NULL CHECK (amount_fen >= 0),
    year                 INTEGER NOT NULL
);
CREATE INDEX contribution_recipients_entry ON contribution_recipients (contribution_id);
CREATE INDEX contribution_recipients_hash ON contribution_recipients (year, id_hash);

CREATE TABLE contribution_evidence (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    contribution_id      INTEGER NOT NULL REFERENCES contributions (id) ON DELETE CASCADE,
    stored_name          TEXT NOT NULL UNIQUE,
    original_name        TEXT NOT NULL,
    file_type            TEXT NOT NULL,
    size_bytes           BIGINT NOT NULL,
    uploaded_by          INTEGER REFERENCES users (id),
    uploaded_at          TEXT NOT NULL
);
CREATE INDEX contribution_evidence_entry ON contribution_evidence (contribution_id);
