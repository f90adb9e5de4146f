-- Reference data: Anhui's divisions (GB/T 2260) and village-level committees.
CREATE TABLE divisions (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    level        TEXT NOT NULL CHECK (level IN ('province', 'city', 'county')),
    parent_code  TEXT NOT NULL,
    longitude    REAL NOT NULL,
    latitude     REAL NOT NULL,
    coord_source TEXT NOT NULL
);
CREATE INDEX divisions_parent ON divisions (parent_code);

CREATE TABLE villages (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('village', 'community', 'other')),
    township_code TEXT NOT NULL,
    township_name TEXT NOT NULL,
    county_code   TEXT NOT NULL REFERENCES divisions (code),
    city_code     TEXT NOT NULL REFERENCES divisions (code)
);
CREATE INDEX villages_county ON villages (county_code, code);
CREATE INDEX villages_city ON villages (city_code, code);
