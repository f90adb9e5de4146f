-- The ledger's rollup again by city (#19): the province's totals by city read a few thousand cells rather
-- than every county's (a quarter of a million at national volume). Triggers on `contribution_rollup` keep it
-- in step, in the transaction of every change to that rollup (a verification, a verified correction, a seed
-- or bulk load), so the two can never disagree.
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

-- Adds a change of a county's cell (the new sums, or the old ones negated) to its city's cell.
CREATE FUNCTION roll_up_to_city(city TEXT, y INTEGER, k TEXT, n BIGINT, fen BIGINT, p BIGINT) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO contribution_city_rollup (city_code, year, kind, entries, amount_fen, people)
    VALUES (city, y, k, n, fen, p)
    ON CONFLICT (city_code, year, kind) DO UPDATE SET
        entries = contribution_city_rollup.entries + excluded.entries,
        amount_fen = contribution_city_rollup.amount_fen + excluded.amount_fen,
        people = contribution_city_rollup.people + excluded.people
$$;

CREATE FUNCTION contribution_rollup_to_city() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM roll_up_to_city(OLD.city_code, OLD.year, OLD.kind, -OLD.entries, -OLD.amount_fen, -OLD.people);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM roll_up_to_city(NEW.city_code, NEW.year, NEW.kind, NEW.entries, NEW.amount_fen, NEW.people);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER contribution_rollup_to_city AFTER INSERT OR UPDATE OR DELETE ON contribution_rollup
    FOR EACH ROW EXECUTE FUNCTION contribution_rollup_to_city();

-- Emptying the county rollup (a bulk load starts so) empties the city rollup.
CREATE FUNCTION contribution_rollup_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE contribution_city_rollup;
    RETURN NULL;
END
$$;

CREATE TRIGGER contribution_rollup_emptied AFTER TRUNCATE ON contribution_rollup
    FOR EACH STATEMENT EXECUTE FUNCTION contribution_rollup_emptied();
