-- 百社进百村: pairing rounds, the societies that join them, the villages' needs, staff pins and forbids,
-- every run of the engine, and the agreements a confirmed run turns into.
CREATE TABLE pairing_rounds (
    id                      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                    TEXT NOT NULL UNIQUE,
    status                  TEXT NOT NULL CHECK (status IN ('open', 'confirmed')),
    priority_bonus          BIGINT NOT NULL,
    distance_penalty_per_km BIGINT NOT NULL,
    max_distance_km         BIGINT NOT NULL,
    created_by              TEXT NOT NULL,
    created_at              TIMESTAMPTZ NOT NULL
);

CREATE TABLE pairing_round_counties (
    round_id    BIGINT NOT NULL REFERENCES pairing_rounds (id),
    county_code TEXT NOT NULL REFERENCES divisions (code),
    PRIMARY KEY (round_id, county_code)
);

CREATE TABLE pairing_societies (
    round_id        BIGINT NOT NULL REFERENCES pairing_rounds (id),
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    capabilities    TEXT NOT NULL,
    capacity        BIGINT NOT NULL CHECK (capacity >= 0),
    home_county     TEXT NOT NULL REFERENCES divisions (code),
    funds_fen       BIGINT NOT NULL CHECK (funds_fen >= 0),
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (round_id, organization_id)
);

CREATE TABLE pairing_village_needs (
    round_id       BIGINT NOT NULL REFERENCES pairing_rounds (id),
    village_code   TEXT NOT NULL REFERENCES villages (code),
    needs          TEXT NOT NULL,
    priority_class TEXT CHECK (priority_class IN ('key_county', 'formerly_poor', 'weak_collective')),
    updated_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (round_id, village_code)
);

CREATE TABLE pairing_constraints (
    round_id        BIGINT NOT NULL REFERENCES pairing_rounds (id),
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    village_code    TEXT NOT NULL REFERENCES villages (code),
    kind            TEXT NOT NULL CHECK (kind IN ('pin', 'forbid')),
    PRIMARY KEY (round_id, organization_id, village_code)
);

CREATE TABLE pairing_runs (
    id                        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id                  BIGINT NOT NULL REFERENCES pairing_rounds (id),
    run_by                    TEXT NOT NULL,
    run_at                    TIMESTAMPTZ NOT NULL,
    input_summary             TEXT NOT NULL,
    instance                  TEXT NOT NULL,
    plan                      TEXT NOT NULL,
    priority_villages_covered BIGINT NOT NULL,
    villages_covered          BIGINT NOT NULL,
    total_score               BIGINT NOT NULL
);
CREATE INDEX pairing_runs_round ON pairing_runs (round_id, id);

CREATE TABLE pairing_agreements (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id        BIGINT NOT NULL REFERENCES pairing_rounds (id),
    run_id          BIGINT NOT NULL REFERENCES pairing_runs (id),
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    village_code    TEXT NOT NULL REFERENCES villages (code),
    start_date      DATE NOT NULL,
    end_date        DATE NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('active', 'concluded')),
    confirmed_by    TEXT NOT NULL,
    confirmed_at    TIMESTAMPTZ NOT NULL,
    concluded_by    TEXT,
    concluded_at    TIMESTAMPTZ,
    UNIQUE (round_id, organization_id, village_code)
);
CREATE INDEX pairing_agreements_org ON pairing_agreements (organization_id);
CREATE INDEX pairing_agreements_village ON pairing_agreements (village_code);
