-- The ledger's rollup again by city (#19): the province's totals by city read a few thousand cells rather
-- than every county's. Triggers on `contribution_rollup` keep it in step, in the transaction of every change
-- to that rollup (a verification, a verified correction, a seed load), so the two can never disagree. A
-- city's cell is created when missing by `WHERE NOT EXISTS`, not `INSERT OR IGNORE`: a trigger's conflict
-- clause gives way to that of the statement that fired it (the rollup's upsert), which would abort.
CREATE TABLE contribution_city_rollup (
    city_code            TEXT NOT NULL,
    year                 INTEGER NOT NULL,
    kind                 TEXT NOT NULL,
    entries              BIGINT NOT NULL,
    amount_fen           BIGINT NOT NULL,
    people               BIGINT NOT NULL,
    PRIMARY KEY (city_code, year, kind)
);
INSERT INTO contribution_city_rollup (city_code, year, kind, entries, amount_fen, people)
SELECT city_code, year, kind, SUM(entries), SUM(amount_fen), SUM(people)
FROM contribution_rollup
GROUP BY city_code, year, kind;

CREATE TRIGGER contribution_rollup_inserted AFTER INSERT ON contribution_rollup
BEGIN
    INSERT INTO contribution_city_rollup (city_code, year, kind, entries, amount_fen, people)
    SELECT NEW.city_code, NEW.year, NEW.kind, 0, 0, 0
    WHERE NOT EXISTS (SELECT 1 FROM contribution_city_rollup
                      WHERE city_code = NEW.city_code AND year = NEW.year AND kind = NEW.kind);
    UPDATE contribution_city_rollup
    SET entries = entries + NEW.entries, amount_fen = amount_fen + NEW.amount_fen, people = people + NEW.people
    WHERE city_code = NEW.city_code AND year = NEW.year AND kind = NEW.kind;
END;

CREATE TRIGGER contribution_rollup_updated AFTER UPDATE ON contribution_rollup
BEGIN
    UPDATE contribution_city_rollup
    SET entries = entries - OLD.entries, amount_fen = amount_fen - OLD.amount_fen, people = people - OLD.people
    WHERE city_code = OLD.city_code AND year = OLD.year AND kind = OLD.kind;
    INSERT INTO contribution_city_rollup (city_code, year, kind, entries, amount_fen, people)
    SELECT NEW.city_code, NEW.year, NEW.kind, 0, 0, 0
    WHERE NOT EXISTS (SELECT 1 FROM contribution_city_rollup
                      WHERE city_code = NEW.city_code AND year = NEW.year AND kind = NEW.kind);
    UPDATE contribution_city_rollup
    SET entries = entries + NEW.entries, amount_fen = amount_fen + NEW.amount_fen, people = people + NEW.people
    WHERE city_code = NEW.city_code AND year = NEW.year AND kind = NEW.kind;
END;

CREATE TRIGGER contribution_rollup_deleted AFTER DELETE ON contribution_rollup
BEGIN
    UPDATE contribution_city_rollup
    SET entries = entries - OLD.entries, amount_fen = amount_fen - OLD.amount_fen, people = people - OLD.people
    WHERE city_code = OLD.city_code AND year = OLD.year AND kind = OLD.kind;
END;
