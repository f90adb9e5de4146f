-- Fee inspections of business associations (issue #14, DOMAIN.md §7.3, 涉企收费检查): campaigns that draw
-- associations × inspectors from a recorded seed (双随机一公开), the inspector pool, conflicts of interest,
-- the drawn inspections with their inspectors, the fee items with findings and dispositions, and the
-- re-runs of a draw by a second person.

-- 检查活动. `draw_input` is the draw's recorded input (seed, eligible associations, pool, conflicts) as JSON,
-- from which anyone re-runs it.
CREATE TABLE fee_campaigns (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year                 INTEGER NOT NULL,
    title                TEXT NOT NULL,
    division_code        TEXT NOT NULL REFERENCES divisions (code),
    levels               TEXT NOT NULL DEFAULT '',
    checklist            TEXT NOT NULL,
    sample_size          BIGINT NOT NULL,
    inspectors_per_association BIGINT NOT NULL,
    stage                TEXT NOT NULL CHECK (stage IN ('open', 'drawn', 'closed')),
    seed                 TEXT,
    eligible             BIGINT,
    draw_input           TEXT,
    drawn_at             TIMESTAMPTZ,
    drawn_by             TEXT,
    closed_at            TIMESTAMPTZ,
    created_by           TEXT NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX fee_campaigns_year ON fee_campaigns (year, id);

-- 检查人员库: staff accounts a campaign draws its inspectors from.
CREATE TABLE fee_campaign_pool (
    campaign_id          BIGINT NOT NULL REFERENCES fee_campaigns (id),
    user_id              BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (campaign_id, user_id)
);

-- 回避: an inspector tied to an association; a draw leaves out the pairs recorded before it.
CREATE TABLE fee_conflicts (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id              BIGINT NOT NULL REFERENCES users (id),
    organization_id      BIGINT NOT NULL REFERENCES organizations (id),
    reason               TEXT NOT NULL,
    recorded_by          TEXT NOT NULL,
    recorded_at          TIMESTAMPTZ NOT NULL,
    UNIQUE (user_id, organization_id)
);

-- 检查记录: one per drawn association; staff scope applies to the association's registering division.
CREATE TABLE fee_inspections (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id          BIGINT NOT NULL REFERENCES fee_campaigns (id),
    draw_order           BIGINT NOT NULL,
    organization_id      BIGINT NOT NULL REFERENCES organizations (id),
    division_code        TEXT NOT NULL,
    stage                TEXT NOT NULL CHECK (stage IN ('pending', 'recorded')),
    inspected_on         DATE,
    summary              TEXT,
    penalty_case_id      BIGINT REFERENCES penalty_cases (id),
    recorded_by          TEXT,
    recorded_at          TIMESTAMPTZ,
    UNIQUE (campaign_id, organization_id),
    UNIQUE (campaign_id, draw_order)
);
CREATE INDEX fee_inspections_organization ON fee_inspections (organization_id, id);
CREATE INDEX fee_inspections_division ON fee_inspections (division_code, campaign_id);

-- The inspectors drawn for an inspection; only they record it.
CREATE TABLE fee_inspection_inspectors (
    inspection_id        BIGINT NOT NULL REFERENCES fee_inspections (id),
    user_id              BIGINT NOT NULL REFERENCES users (id),
    position             BIGINT NOT NULL,
    PRIMARY KEY (inspection_id, user_id)
);
CREATE INDEX fee_inspection_inspectors_user ON fee_inspection_inspectors (user_id, inspection_id);

-- 收费项目. `findings` are comma-joined checklist keys; `burden_removed_fen` is what the disposition removes
-- by the rule of domain::fees::burden_removed, written with the item.
CREATE TABLE fee_items (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    inspection_id        BIGINT NOT NULL REFERENCES fee_inspections (id),
    position             BIGINT NOT NULL,
    name                 TEXT NOT NULL,
    basis                TEXT NOT NULL,
    standard_fen         BIGINT NOT NULL,
    annual_income_fen    BIGINT NOT NULL,
    payers               BIGINT NOT NULL,
    findings             TEXT NOT NULL DEFAULT '',
    disposition          TEXT CHECK (disposition IN ('cancel', 'reduce', 'standardize', 'publish', 'investigate')),
    new_standard_fen     BIGINT,
    burden_removed_fen   BIGINT NOT NULL,
    UNIQUE (inspection_id, position)
);

-- 复核: a re-run of a campaign's draw and whether it gave the recorded list.
CREATE TABLE fee_draw_verifications (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id          BIGINT NOT NULL REFERENCES fee_campaigns (id),
    same                 BOOLEAN NOT NULL,
    drawn                BIGINT NOT NULL,
    verified_by          TEXT NOT NULL,
    verified_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX fee_draw_verifications_campaign ON fee_draw_verifications (campaign_id, id);
