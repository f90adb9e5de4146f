-- 双公示: the publication outbox. One item per licensing or penalty decision, written in the decision's
-- transaction (unique per decision, and per document number: the platform's idempotency key), with its
-- due day on the working-day calendar, its push status, attempts and claim.
CREATE TABLE publication_items (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind                 TEXT NOT NULL CHECK (kind IN ('licensing', 'penalty')),
    decision_id          BIGINT NOT NULL,
    document_number      TEXT NOT NULL UNIQUE,
    organization_id      BIGINT REFERENCES organizations (id),
    organization_name    TEXT NOT NULL,
    credit_code          TEXT,
    division_code        TEXT NOT NULL,
    category             TEXT NOT NULL,
    content              TEXT NOT NULL,
    decided_on           DATE NOT NULL,
    valid_until          DATE,
    due_on               DATE NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'acknowledged', 'failed', 'manual')),
    attempts             INTEGER NOT NULL DEFAULT 0,
    -- When a push is next due; NULL once published or when the attempts are used up.
    next_attempt_at      TIMESTAMPTZ,
    -- The push in flight: its worker and until when the claim holds (a dead worker's claim lapses).
    claimed_by           TEXT,
    claimed_until        TIMESTAMPTZ,
    last_error           TEXT,
    sent_at              TIMESTAMPTZ,
    published_on         DATE,
    receipt              TEXT,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    UNIQUE (kind, decision_id)
);
CREATE INDEX publication_items_due ON publication_items (next_attempt_at, id);
CREATE INDEX publication_items_decided ON publication_items (decided_on, division_code);
CREATE INDEX publication_items_status ON publication_items (status, id);

CREATE TABLE publication_attempts (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id              BIGINT NOT NULL REFERENCES publication_items (id),
    attempt              INTEGER NOT NULL,
    at                   TIMESTAMPTZ NOT NULL,
    outcome              TEXT NOT NULL,
    http_status          INTEGER,
    message              TEXT NOT NULL
);
CREATE INDEX publication_attempts_item ON publication_attempts (item_id, id);
