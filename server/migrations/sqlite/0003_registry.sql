-- The registry's profile columns, the timeline of every change and matter, registration matters and the
-- administrative licensing decisions they end in.
ALTER TABLE organizations ADD COLUMN categories TEXT NOT NULL DEFAULT 'other';
ALTER TABLE organizations ADD COLUMN emerging_industry TEXT;
ALTER TABLE organizations ADD COLUMN supervisory_unit TEXT;
ALTER TABLE organizations ADD COLUMN legal_representative TEXT;
ALTER TABLE organizations ADD COLUMN founded_on TEXT;
ALTER TABLE organizations ADD COLUMN registered_funds_fen BIGINT;
ALTER TABLE organizations ADD COLUMN domicile TEXT;
ALTER TABLE organizations ADD COLUMN business_scope TEXT;
ALTER TABLE organizations ADD COLUMN contact_phone TEXT;
ALTER TABLE organizations ADD COLUMN credit_list TEXT CHECK (credit_list IN ('abnormal', 'serious'));
ALTER TABLE organizations ADD COLUMN credit_code_waiver TEXT;
CREATE INDEX organizations_name ON organizations (name);
CREATE INDEX organizations_founded ON organizations (founded_on);

CREATE TABLE matters (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    kind                 TEXT NOT NULL CHECK (kind IN ('establishment', 'change', 're_election', 'deregistration', 'filing', 'for_profit_conversion')),
    organization_id      INTEGER REFERENCES organizations (id),
    -- The organization's name when filed (or the proposed name of a new one).
    organization_name    TEXT NOT NULL,
    -- The registering division: staff scope applies to it.
    division_code        TEXT NOT NULL REFERENCES divisions (code),
    state                TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'accepted', 'under_review', 'approved', 'rejected')),
    -- The full state as JSON (with the missing items or the reasons).
    state_json           TEXT NOT NULL,
    channel              TEXT NOT NULL CHECK (channel IN ('standard', 'green')),
    -- What is applied for, as JSON (the changes, or the new organization).
    payload_json         TEXT NOT NULL,
    note                 TEXT NOT NULL DEFAULT '',
    filed_by             INTEGER REFERENCES users (id),
    filed_at             TEXT NOT NULL,
    accepted_on          TEXT,
    due_on               TEXT,
    decided_at           TEXT,
    updated_at           TEXT NOT NULL
);
CREATE INDEX matters_state ON matters (state, division_code);
CREATE INDEX matters_organization ON matters (organization_id);

-- The timeline: every change to an organization and every step of a matter.
CREATE TABLE organization_events (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id      INTEGER REFERENCES organizations (id),
    matter_id            INTEGER REFERENCES matters (id),
    at                   TEXT NOT NULL,
    kind                 TEXT NOT NULL,
    summary              TEXT NOT NULL,
    actor_name           TEXT NOT NULL
);
CREATE INDEX organization_events_organization ON organization_events (organization_id, at);
CREATE INDEX organization_events_matter ON organization_events (matter_id, at);

-- 行政许可决定: kept for publication to the provincial credit platform (双公示).
CREATE TABLE licensing_decisions (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    document_number      TEXT NOT NULL UNIQUE,
    year                 INTEGER NOT NULL,
    serial               INTEGER NOT NULL,
    decided_on           TEXT NOT NULL,
    organization_id      INTEGER REFERENCES organizations (id),
    organization_name    TEXT NOT NULL,
    credit_code          TEXT,
    matter_id            INTEGER NOT NULL UNIQUE REFERENCES matters (id),
    kind                 TEXT NOT NULL,
    content              TEXT NOT NULL,
    authority_code       TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    UNIQUE (year, serial)
);
CREATE INDEX licensing_decisions_organization ON licensing_decisions (organization_id);
