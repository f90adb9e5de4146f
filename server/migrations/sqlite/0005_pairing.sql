-- 百社进百村: pairing rounds, the societies that join them, the villages' needs, staff pins and forbids,
-- every run of the engine, and the agreements a confirmed run turns into.
CREATE TABLE pairing_rounds (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    name                    TEXT NOT NULL UNIQUE,
    status                  TEXT NOT NULL CHECK (status IN ('open', 'confirmed')),
    priority_bonus          INTEGER NOT NULL,
    distance_penalty_per_km INTEGER NOT NULL,
    max_distance_km         INTEGER NOT NULL,
    created_by              TEXT NOT NULL,
    created_at              TEXT NOT NULL
);

CREATE TABLE pairing_round_counties (
    round_id    INTEGER NOT NULL REFERENCES pairing_rounds (id),
    county_code TEXT NOT NULL REFERENCES divisions (code),
    PRIMARY KEY (round_id, county_code)
);

CREATE TABLE pairing_societies (
    round_id        INTEGER NOT NULL REFERENCES pairing_rounds (id),
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    capabilities    TEXT NOT NULL,
    capacity        INTEGER NOT NULL CHECK (capacity >= 0),
    home_county     TEXT NOT NULL REFERENCES divisions (code),
    funds_fen       INTEGER NOT NULL CHECK (funds_fen >= 0),
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (round_id, organization_id)
);

CREATE TABLE pairing_village_needs (
    round_id       INTEGER NOT NULL REFERENCES pairing_rounds (id),
    village_code   TEXT NOT NULL REFERENCES villages (code),
    needs          TEXT NOT NULL,
    priority_class TEXT CHECK (priority_class IN ('key_county', 'formerly_poor', 'weak_collective')),
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (round_id, village_code)
);

CREATE TABLE pairing_constraints (
    round_id        INTEGER NOT NULL REFERENCES pairing_rounds (id),
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    village_code    TEXT NOT NULL REFERENCES villages (code),
    kind            TEXT NOT NULL CHECK (kind IN ('pin', 'forbid')),
    PRIMARY KEY (round_id, organization_id, village_code)
);

CREATE TABLE pairing_runs (
    id                        INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id                  INTEGER NOT NULL REFERENCES pairing_rounds (id),
    run_by                    TEXT NOT NULL,
    run_at                    TEXT NOT NULL,
    input_summary             TEXT NOT NULL,
    instance                  TEXT NOT NULL,
    plan                      TEXT NOT NULL,
    priority_villages_covered INTEGER NOT NULL,
    villages_covered          INTEGER NOT NULL,
    total_score               INTEGER NOT NULL
);
CREATE INDEX pairing_runs_round ON pairing_runs (round_id, id);

CREATE TABLE pairing_agreements (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id        INTEGER NOT NULL REFERENCES pairing_rounds (id),
    run_id          INTEGER NOT NULL REFERENCES pairing_runs (id),
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    village_code    TEXT NOT NULL REFERENCES villages (code),
    start_date      TEXT NOT NULL,
    end_date        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('active', 'concluded')),
    confirmed_by    TEXT NOT NULL,
    confirmed_at    TEXT NOT NULL,
    concluded_by    TEXT,
    concluded_at    TEXT,
    UNIQUE (round_id, organization_id, village_code)
);
CREATE INDEX pairing_agreements_org ON pairing_agreements (organization_id);
CREATE INDEX pairing_agreements_village ON pairing_agreements (village_code);
