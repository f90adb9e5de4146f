-- The ledger, part 2.
-- A SHA-256 of the request an idempotency key was first used with: the same key with another body is refused.
ALTER TABLE contributions ADD COLUMN request_hash TEXT;

-- The totals of the counted entries (verified, not superseded by a correction) by registering division,
-- year and kind, kept in step in the same transaction as every change that makes an entry count or stop
-- counting (verification, a verified correction, the seed load). Province, city and county totals read
-- these few thousand rows instead of summing the ledger.
CREATE TABLE contribution_rollup (
    division_code        TEXT NOT NULL,
    city_code            TEXT NOT NULL,
    year                 INTEGER NOT NULL,
    kind                 TEXT NOT NULL,
    entries              BIGINT NOT NULL,
    amount_fen           BIGINT NOT NULL,
    people               BIGINT NOT NULL,
    PRIMARY KEY (division_code, year, kind)
);
INSERT INTO contribution_rollup (division_code, city_code, year, kind, entries, amount_fen, people)
SELECT division_code, city_code, year, kind, COUNT(*), COALESCE(SUM(amount_fen), 0), COALESCE(SUM(people), 0)
FROM contributions
WHERE status = 'verified' AND superseded_by IS NULL
GROUP BY division_code, city_code, year, kind;
