-- 双公示: the publication outbox. One item per licensing or penalty decision, written in the decision's
-- transaction (unique per decision, and per document number: the platform's idempotency key), with its
-- due day on the working-day calendar, its push status, attempts and claim.
CREATE TABLE publication_items (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    kind                 TEXT NOT NULL CHECK (kind IN ('licensing', 'penalty')),
    decision_id          INTEGER NOT NULL,
    document_number      TEXT NOT NULL UNIQUE,
    organization_id      INTEGER REFERENCES organizations (id),
    organization_name    TEXT NOT NULL,
    credit_code          TEXT,
    division_code        TEXT NOT NULL,
    category             TEXT NOT NULL,
    content              TEXT NOT NULL,
    decided_on           TEXT NOT NULL,
    valid_until          TEXT,
    due_on               TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'acknowledged', 'failed', 'manual')),
    attempts             INTEGER NOT NULL DEFAULT 0,
    -- When a push is next due; NULL once published or when the attempts are used up.
    next_attempt_at      TEXT,
    -- The push in flight: its worker and until when the claim holds (a dead worker's claim lapses).
    claimed_by           TEXT,
    claimed_until        TEXT,
    last_error           TEXT,
    sent_at              TEXT,
    published_on         TEXT,
    receipt              TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    UNIQUE (kind, decision_id)
);
CREATE INDEX publication_items_due ON publication_items (next_attempt_at, id);
CREATE INDEX publication_items_decided ON publication_items (decided_on, division_code);
CREATE INDEX publication_items_status ON publication_items (status, id);

CREATE TABLE publication_attempts (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id              INTEGER NOT NULL REFERENCES publication_items (id),
    attempt              INTEGER NOT NULL,
    at                   TEXT NOT NULL,
    outcome              TEXT NOT NULL,
    http_status          INTEGER,
    message              TEXT NOT NULL
);
CREATE INDEX publication_attempts_item ON publication_attempts (item_id, id);
