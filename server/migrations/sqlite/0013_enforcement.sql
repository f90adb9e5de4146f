-- Enforcement casework (issue #13, DOMAIN.md §7.1, §7.2, §7.4): petitions (信访) with their petitioners sealed,
-- illegal-organization clues and cases with their dated steps and the numbered batches that publish them,
-- and administrative penalty cases with their numbered decisions (皖社罚〔YYYY〕N号).

-- 信访: the petition list. The petitioner's name, phone and ID number are sealed under the data key (one
-- key id for the three) and kept masked beside; an online petition keeps the SHA-256 of its receipt number.
CREATE TABLE petitions (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    channel              TEXT NOT NULL CHECK (channel IN ('letter', 'visit', 'phone', 'online')),
    stage                TEXT NOT NULL CHECK (stage IN ('received', 'accepted', 'declined', 'replied', 'closed')),
    received_on          TEXT NOT NULL,
    key_id               TEXT NOT NULL,
    name_cipher          TEXT NOT NULL,
    phone_cipher         TEXT NOT NULL,
    id_number_cipher     TEXT NOT NULL,
    name_masked          TEXT NOT NULL,
    phone_masked         TEXT NOT NULL,
    id_number_masked     TEXT NOT NULL,
    matter               TEXT NOT NULL,
    organization_id      INTEGER REFERENCES organizations (id),
    -- The handling division: the organization's, or the one named; staff scope applies to it.
    division_code        TEXT NOT NULL REFERENCES divisions (code),
    receipt_hash         TEXT UNIQUE,
    acceptance_due       TEXT NOT NULL,
    accepted_on          TEXT,
    handling_due         TEXT,
    extension_days       INTEGER NOT NULL DEFAULT 0,
    extension_reason     TEXT,
    decline_reason       TEXT,
    replied_on           TEXT,
    reply                TEXT,
    closed_on            TEXT,
    satisfaction         TEXT CHECK (satisfaction IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
    close_note           TEXT,
    -- The time limit running now (acceptance, then handling); none once declined or replied.
    due_on               TEXT,
    recorded_by          TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX petitions_stage ON petitions (stage, division_code, id);
CREATE INDEX petitions_due ON petitions (due_on, division_code);
CREATE INDEX petitions_organization ON petitions (organization_id, id);

-- 涉嫌非法社会组织名单（第N批）.
CREATE TABLE illegal_batches (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    number               BIGINT NOT NULL UNIQUE,
    published_on         TEXT NOT NULL,
    published_by         TEXT NOT NULL,
    created_at           TEXT NOT NULL
);

-- 非法社会组织线索与案件. Most bodies are unregistered and have no organization: staff scope applies to the
-- division recorded on the case. `body_status` is the body's status in the registry (normal until banned).
CREATE TABLE illegal_cases (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    name                 TEXT NOT NULL,
    division_code        TEXT NOT NULL REFERENCES divisions (code),
    address              TEXT NOT NULL DEFAULT '',
    activities           TEXT NOT NULL,
    evidence             TEXT NOT NULL DEFAULT '',
    source               TEXT NOT NULL CHECK (source IN ('public_report', 'petition', 'inspection', 'agency')),
    stage                TEXT NOT NULL CHECK (stage IN ('clue', 'investigating', 'published', 'banned', 'dissuaded',
                                                      'registered', 'closed')),
    organization_id      INTEGER REFERENCES organizations (id),
    petition_id          INTEGER REFERENCES petitions (id),
    -- The reporter's contact, sealed, and masked beside.
    contact_key_id       TEXT,
    contact_cipher       TEXT,
    contact_masked       TEXT,
    body_status          TEXT NOT NULL DEFAULT 'normal' CHECK (body_status IN ('normal', 'banned')),
    batch_id             INTEGER REFERENCES illegal_batches (id),
    outcome_on           TEXT,
    decision_number      TEXT,
    matter_id            INTEGER REFERENCES matters (id),
    outcome_note         TEXT,
    recorded_by          TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX illegal_cases_stage ON illegal_cases (stage, division_code, id);
CREATE INDEX illegal_cases_batch ON illegal_cases (batch_id, name);
CREATE INDEX illegal_cases_organization ON illegal_cases (organization_id);

-- The dated steps of a case and the agencies that took part (comma-joined keys).
CREATE TABLE illegal_case_steps (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id              INTEGER NOT NULL REFERENCES illegal_cases (id),
    on_date              TEXT NOT NULL,
    action               TEXT NOT NULL,
    agencies             TEXT NOT NULL DEFAULT '',
    description          TEXT NOT NULL,
    recorded_by          TEXT NOT NULL,
    created_at           TEXT NOT NULL
);
CREATE INDEX illegal_case_steps_case ON illegal_case_steps (case_id, id);

-- 行政处罚案件 against registered organizations, with the notice, the statement and hearing, and the
-- decision numbered in its year like the licensing decisions.
CREATE TABLE penalty_cases (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id      INTEGER NOT NULL REFERENCES organizations (id),
    division_code        TEXT NOT NULL,
    stage                TEXT NOT NULL CHECK (stage IN ('filed', 'noticed', 'decided', 'dropped')),
    filed_on             TEXT NOT NULL,
    facts                TEXT NOT NULL,
    evidence             TEXT NOT NULL,
    rule_broken          TEXT NOT NULL,
    petition_id          INTEGER REFERENCES petitions (id),
    notified_on          TEXT,
    proposed             TEXT NOT NULL DEFAULT '',
    notice               TEXT,
    statement_on         TEXT,
    statement            TEXT,
    hearing_requested_on TEXT,
    hearing_held_on      TEXT,
    hearing_record       TEXT,
    decided_on           TEXT,
    kinds                TEXT NOT NULL DEFAULT '',
    fine_fen             BIGINT,
    confiscated_fen      BIGINT,
    suspend_until        TEXT,
    decision_content     TEXT,
    document_number      TEXT UNIQUE,
    decision_year        INTEGER,
    decision_serial      BIGINT,
    drop_reason          TEXT,
    closed_on            TEXT,
    recorded_by          TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    UNIQUE (decision_year, decision_serial)
);
CREATE INDEX penalty_cases_organization ON penalty_cases (organization_id, stage);
CREATE INDEX penalty_cases_stage ON penalty_cases (stage, division_code, id);
