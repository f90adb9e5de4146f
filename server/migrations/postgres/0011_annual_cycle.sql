-- The annual cycle (issue #12): annual inspection (DOMAIN.md §5), credit-list records (§3) and the dormant
-- organizations' pipeline (§6). The credit lists are records from now on: the registry reads an organization's
-- current listing from `credit_listings`, and the old `organizations.credit_list` flag is gone.

-- 年检周期: one per year reported on, opened by the bureau for some levels and a division (and below it).
CREATE TABLE inspection_cycles (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year                 INTEGER NOT NULL UNIQUE,
    deadline             DATE NOT NULL,
    -- Comma-joined level keys.
    levels               TEXT NOT NULL,
    division_code        TEXT NOT NULL REFERENCES divisions (code),
    -- The division's code prefix (`34`, `3401`, `340104`): organizations whose division starts with it take part.
    division_prefix      TEXT NOT NULL,
    opened_by            BIGINT REFERENCES users (id),
    opened_at            TIMESTAMPTZ NOT NULL,
    -- The day the rule marked the reports missing at the deadline 未报送.
    closed_on            DATE
);

-- 年度工作报告: one per organization and year; a draft until submitted; 未报送 rows are written by the rule.
CREATE TABLE annual_reports (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle_id             BIGINT NOT NULL REFERENCES inspection_cycles (id),
    year                 INTEGER NOT NULL,
    organization_id      BIGINT NOT NULL REFERENCES organizations (id),
    division_code        TEXT NOT NULL,
    city_code            TEXT NOT NULL,
    level                TEXT NOT NULL,
    stage                TEXT NOT NULL CHECK (stage IN ('draft', 'submitted', 'returned', 'reviewed', 'not_filed')),
    result               TEXT CHECK (result IN ('qualified', 'basically_qualified', 'unqualified', 'not_inspected')),
    reasons              TEXT,
    late                 BOOLEAN NOT NULL DEFAULT FALSE,
    revenue_fen          BIGINT NOT NULL DEFAULT 0,
    expenses_fen         BIGINT NOT NULL DEFAULT 0,
    net_assets_fen       BIGINT NOT NULL DEFAULT 0,
    -- The whole report as typed (activities, party building, fees, officers).
    content_json         TEXT NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    submitted_at         TIMESTAMPTZ,
    reviewed_at          TIMESTAMPTZ,
    reviewed_by          BIGINT REFERENCES users (id),
    UNIQUE (organization_id, year)
);
CREATE INDEX annual_reports_year_stage ON annual_reports (year, stage, division_code);
CREATE INDEX annual_reports_year_result ON annual_reports (year, result, division_code);
CREATE INDEX annual_reports_year_division ON annual_reports (year, division_code, id);
-- The daily rules read the 未报送 reports of every year (and a closing the drafts of its cycle); the
-- dormant scan asks whether an organization sent anything since a day.
CREATE INDEX annual_reports_stage ON annual_reports (stage, cycle_id);
CREATE INDEX annual_reports_submitted ON annual_reports (organization_id, submitted_at);

-- 后续处理: 约谈, 限期整改, 移送处罚, 审计抽查 on a report.
CREATE TABLE inspection_follow_ups (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id            BIGINT NOT NULL REFERENCES annual_reports (id),
    organization_id      BIGINT NOT NULL REFERENCES organizations (id),
    division_code        TEXT NOT NULL,
    kind                 TEXT NOT NULL CHECK (kind IN ('interview', 'rectification', 'penalty_referral', 'audit')),
    on_date              DATE NOT NULL,
    interviewee          TEXT,
    working_days         BIGINT,
    due_on               DATE,
    completed_on         DATE,
    outcome              TEXT NOT NULL DEFAULT '',
    recorded_by          TEXT NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX inspection_follow_ups_report ON inspection_follow_ups (report_id);
CREATE INDEX inspection_follow_ups_due ON inspection_follow_ups (kind, completed_on, due_on);

-- 列入记录: an organization's time on one list. At most one current (ended_on IS NULL) per organization.
CREATE TABLE credit_listings (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id      BIGINT NOT NULL REFERENCES organizations (id),
    division_code        TEXT NOT NULL,
    list                 TEXT NOT NULL CHECK (list IN ('abnormal', 'serious')),
    reason               TEXT NOT NULL,
    event_kind           TEXT NOT NULL,
    event_id             BIGINT,
    event_summary        TEXT NOT NULL,
    decided_on           DATE NOT NULL,
    -- 起算日: the latest event's date.
    period_start         DATE NOT NULL,
    decided_by           TEXT NOT NULL,
    ended_on             DATE,
    end_kind             TEXT CHECK (end_kind IN ('removed', 'moved_to_serious', 'objection_upheld')),
    removal_applied_on   DATE,
    removal_decide_by    DATE,
    removal_rectification TEXT,
    removal_decision     TEXT CHECK (removal_decision IN ('grant', 'refuse')),
    removal_decided_on   DATE,
    removal_reasons      TEXT,
    objection_status     TEXT CHECK (objection_status IN ('pending', 'upheld', 'dismissed')),
    objection_grounds    TEXT,
    objection_filed_at   TIMESTAMPTZ,
    objection_decided_on DATE,
    objection_reasons    TEXT,
    explanation          TEXT,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX credit_listings_organization ON credit_listings (organization_id, ended_on);
CREATE INDEX credit_listings_current ON credit_listings (ended_on, list, decided_on);
CREATE INDEX credit_listings_division ON credit_listings (division_code, ended_on);

-- Each event that put or kept an organization on a list; the unique key makes every rule run idempotent:
-- the same record never lists twice.
CREATE TABLE credit_listing_events (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    listing_id           BIGINT NOT NULL REFERENCES credit_listings (id),
    reason               TEXT NOT NULL,
    event_kind           TEXT NOT NULL,
    event_id             BIGINT,
    on_date              DATE NOT NULL,
    summary              TEXT NOT NULL,
    UNIQUE (event_kind, event_id, reason)
);
CREATE INDEX credit_listing_events_listing ON credit_listing_events (listing_id);

-- The registry's index reads the current listing: a change of the records is a change of the registry.
-- Once per statement, as for `organizations` (the function is migration 0009's).
CREATE TRIGGER credit_listings_generation
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit_listings
    FOR EACH STATEMENT EXECUTE FUNCTION bump_registry_generation();

ALTER TABLE organizations DROP COLUMN credit_list;

-- 退信: registered letters to the domicile returned unsigned (evidence of 无法取得联系).
CREATE TABLE returned_letters (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id      BIGINT NOT NULL REFERENCES organizations (id),
    division_code        TEXT NOT NULL,
    sent_on              DATE NOT NULL,
    returned_on          DATE NOT NULL,
    note                 TEXT NOT NULL DEFAULT '',
    recorded_by          TEXT NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX returned_letters_organization ON returned_letters (organization_id, sent_on);

-- 僵尸型社会组织处置案件: proposed by the nightly scan, confirmed and taken through the pipeline by staff.
CREATE TABLE dormant_cases (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id      BIGINT NOT NULL REFERENCES organizations (id),
    division_code        TEXT NOT NULL,
    city_code            TEXT NOT NULL,
    stage                TEXT NOT NULL CHECK (stage IN ('candidate', 'confirmed', 'interviewed', 'rectifying',
                                                      'observation', 'deregistered', 'revoked', 'dismissed')),
    signals_json         TEXT NOT NULL,
    proposed_on          DATE NOT NULL,
    confirmed_on         DATE,
    interviewee          TEXT,
    interviewed_on       DATE,
    interview_outcome    TEXT,
    rectification_deadline DATE,
    rectification_requirements TEXT,
    closed_on            DATE,
    matter_id            BIGINT REFERENCES matters (id),
    decision_number      TEXT,
    public_notice        TEXT,
    note                 TEXT,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX dormant_cases_organization ON dormant_cases (organization_id, stage);
CREATE INDEX dormant_cases_stage ON dormant_cases (stage, division_code, id);
CREATE INDEX dormant_cases_confirmed ON dormant_cases (confirmed_on, city_code);
