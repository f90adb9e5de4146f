-- The registry's change log: each server's in-memory index (`store/registry/index/`) reads the
-- organizations changed since its own generation and patches itself with them, instead of rebuilding
-- from a table scan whenever anything changed (900,000 organizations take seconds to scan).
--
-- Every change that the index reads (an organization's indexed fields, its credit listings) takes the
-- generation's row lock, logs the organizations under the next generation and keeps the lock until it
-- commits, so generations become visible in order. The log keeps the last 100,000 generations
-- (`KEPT_GENERATIONS` in the index): `kept_from` is the oldest generation a server can patch from.
CREATE TABLE registry_changes (
    generation      BIGINT NOT NULL,
    organization_id BIGINT NOT NULL
);
CREATE INDEX registry_changes_generation ON registry_changes (generation);

ALTER TABLE registry_generation ADD COLUMN kept_from BIGINT NOT NULL DEFAULT 0;
UPDATE registry_generation SET kept_from = generation;

DROP TRIGGER organizations_generation ON organizations;
DROP TRIGGER credit_listings_generation ON credit_listings;
DROP FUNCTION bump_registry_generation();

CREATE FUNCTION log_registry_changes(ids BIGINT[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    next_generation BIGINT;
BEGIN
    IF cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    UPDATE registry_generation
       SET generation = generation + 1,
           kept_from = GREATEST(kept_from, generation + 1 - 100000)
     WHERE id = 1
    RETURNING generation INTO next_generation;
    DELETE FROM registry_changes WHERE generation <= next_generation - 100000;
    INSERT INTO registry_changes (generation, organization_id)
        SELECT DISTINCT next_generation, changed FROM unnest(ids) AS changed;
END;
$$;

-- A truncation is logged as "start again": every server rebuilds.
CREATE FUNCTION forget_registry_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE registry_generation SET generation = generation + 1, kept_from = generation + 1 WHERE id = 1;
    DELETE FROM registry_changes;
    RETURN NULL;
END;
$$;

CREATE FUNCTION log_organizations_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM log_registry_changes(ARRAY(SELECT id FROM written));
    RETURN NULL;
END;
$$;

-- An update is logged only when it changes a field the index reads (not a sealed phone, say).
CREATE FUNCTION log_organizations_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM log_registry_changes(ARRAY(
        SELECT n.id FROM written n JOIN previous o ON o.id = n.id
        WHERE (n.name, n.credit_code, n.kind, n.level, n.status, n.division_code, n.categories,
               n.emerging_industry, n.founded_on)
              IS DISTINCT FROM
              (o.name, o.credit_code, o.kind, o.level, o.status, o.division_code, o.categories,
               o.emerging_industry, o.founded_on)));
    RETURN NULL;
END;
$$;

CREATE FUNCTION log_credit_listings_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM log_registry_changes(ARRAY(SELECT organization_id FROM written));
    RETURN NULL;
END;
$$;

-- Once per statement, with the statement's rows (an import of thousands is one generation).
CREATE TRIGGER organizations_inserted AFTER INSERT ON organizations
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION log_organizations_written();
CREATE TRIGGER organizations_updated AFTER UPDATE ON organizations
    REFERENCING OLD TABLE AS previous NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION log_organizations_updated();
CREATE TRIGGER organizations_deleted AFTER DELETE ON organizations
    REFERENCING OLD TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION log_organizations_written();
CREATE TRIGGER organizations_truncated AFTER TRUNCATE ON organizations
    FOR EACH STATEMENT EXECUTE FUNCTION forget_registry_changes();

CREATE TRIGGER credit_listings_inserted AFTER INSERT ON credit_listings
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION log_credit_listings_written();
CREATE TRIGGER credit_listings_updated AFTER UPDATE ON credit_listings
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION log_credit_listings_written();
CREATE TRIGGER credit_listings_deleted AFTER DELETE ON credit_listings
    REFERENCING OLD TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION log_credit_listings_written();
CREATE TRIGGER credit_listings_truncated AFTER TRUNCATE ON credit_listings
    FOR EACH STATEMENT EXECUTE FUNCTION forget_registry_changes();
