-- Party building (issue #15, DOMAIN.md §8): each organization's party organization as dated records (the
-- state on any day is the latest confirmed record effective on or before it), the approvals that set up
-- branches, and the party-building instructors' batches, assignments, visits and evaluations.

-- 党建信息: one dated state. Staff records and approved applications are confirmed at once; an
-- organization's own update waits for staff. `joint_with` holds the ids a joint branch joins, comma-joined.
CREATE TABLE party_records (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id      BIGINT NOT NULL REFERENCES organizations (id),
    division_code        TEXT NOT NULL REFERENCES divisions (code),
    effective_on         DATE NOT NULL,
    kind                 TEXT NOT NULL CHECK (kind IN ('entity', 'joint', 'functional', 'none')),
    members              BIGINT NOT NULL CHECK (members >= 0),
    approved_on          DATE,
    approving_body       TEXT,
    liaison              TEXT,
    joint_with           TEXT NOT NULL DEFAULT '',
    trade_union          BOOLEAN NOT NULL DEFAULT FALSE,
    youth_league         BOOLEAN NOT NULL DEFAULT FALSE,
    womens_federation    BOOLEAN NOT NULL DEFAULT FALSE,
    status               TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'rejected')),
    source               TEXT NOT NULL CHECK (source IN ('staff', 'organization', 'approval')),
    approval_id          BIGINT,
    filed_by             TEXT NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    decided_by           TEXT,
    decided_at           TIMESTAMPTZ,
    note                 TEXT
);
CREATE INDEX party_records_state ON party_records (organization_id, status, effective_on, id);
CREATE INDEX party_records_status ON party_records (status, division_code, id);

-- 党组织审批: an application received and its decision.
CREATE TABLE party_approvals (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id      BIGINT NOT NULL REFERENCES organizations (id),
    division_code        TEXT NOT NULL REFERENCES divisions (code),
    kind                 TEXT NOT NULL CHECK (kind IN ('entity', 'joint', 'functional')),
    members              BIGINT NOT NULL CHECK (members >= 0),
    joint_with           TEXT NOT NULL DEFAULT '',
    applied_on           DATE NOT NULL,
    approving_body       TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_on           DATE,
    note                 TEXT,
    filed_by             TEXT NOT NULL,
    decided_by           TEXT,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX party_approvals_status ON party_approvals (status, division_code, id);
CREATE INDEX party_approvals_organization ON party_approvals (organization_id, id);
CREATE INDEX party_approvals_decided ON party_approvals (decided_on);

-- 党建指导员批次 (第N批) and its term.
CREATE TABLE party_batches (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number               BIGINT NOT NULL UNIQUE,
    term_start           DATE NOT NULL,
    term_end             DATE NOT NULL,
    created_by           TEXT NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL
);

-- An instructor assigned to an organization for a batch: the instructor's scope while the term runs
-- (read by `instructor_organizations`). One instructor per organization and batch.
CREATE TABLE party_assignments (
    batch_id             BIGINT NOT NULL REFERENCES party_batches (id),
    instructor_id        BIGINT NOT NULL REFERENCES users (id),
    organization_id      BIGINT NOT NULL REFERENCES organizations (id),
    division_code        TEXT NOT NULL REFERENCES divisions (code),
    assigned_at          TIMESTAMPTZ NOT NULL,
    UNIQUE (batch_id, organization_id)
);
CREATE INDEX party_assignments_instructor ON party_assignments (instructor_id, batch_id);
CREATE INDEX party_assignments_organization ON party_assignments (organization_id);

-- 走访指导: what an instructor did at an organization on a day.
CREATE TABLE party_visits (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id             BIGINT NOT NULL REFERENCES party_batches (id),
    instructor_id        BIGINT NOT NULL REFERENCES users (id),
    organization_id      BIGINT NOT NULL REFERENCES organizations (id),
    division_code        TEXT NOT NULL REFERENCES divisions (code),
    visited_on           DATE NOT NULL,
    note                 TEXT NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX party_visits_instructor ON party_visits (instructor_id, batch_id, visited_on);
CREATE INDEX party_visits_organization ON party_visits (organization_id, visited_on);

-- 考核: an instructor's rating for a batch, once.
CREATE TABLE party_evaluations (
    batch_id             BIGINT NOT NULL REFERENCES party_batches (id),
    instructor_id        BIGINT NOT NULL REFERENCES users (id),
    rating               TEXT NOT NULL CHECK (rating IN ('excellent', 'qualified', 'unqualified')),
    reasons              TEXT NOT NULL,
    evaluated_on         DATE NOT NULL,
    evaluated_by         TEXT NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (batch_id, instructor_id)
);
