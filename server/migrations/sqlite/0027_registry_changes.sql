-- The registry's change log: each server's in-memory index (`store/registry/index/`) reads the
-- organizations changed since its own generation and patches itself with them, instead of rebuilding
-- from a table scan whenever anything changed. SQLite has one writer at a time, so generations are
-- written in order. The log keeps the last 100,000 generations (`KEPT_GENERATIONS` in the index):
-- `kept_from` is the oldest generation a server can patch from.
CREATE TABLE registry_changes (
    generation      INTEGER NOT NULL,
    organization_id INTEGER NOT NULL
);
CREATE INDEX registry_changes_generation ON registry_changes (generation);

ALTER TABLE registry_generation ADD COLUMN kept_from INTEGER NOT NULL DEFAULT 0;
UPDATE registry_generation SET kept_from = generation;

DROP TRIGGER organizations_insert_generation;
DROP TRIGGER organizations_update_generation;
DROP TRIGGER organizations_delete_generation;
DROP TRIGGER credit_listings_insert_generation;
DROP TRIGGER credit_listings_update_generation;
DROP TRIGGER credit_listings_delete_generation;

-- Every logged change is stamped here: the next generation, the row stamped with it, the oldest forgotten.
-- The triggers below only say which organization changed.
CREATE TRIGGER registry_changes_stamped AFTER INSERT ON registry_changes
BEGIN
    UPDATE registry_generation
       SET generation = generation + 1, kept_from = MAX(kept_from, generation + 1 - 100000) WHERE id = 1;
    UPDATE registry_changes SET generation = (SELECT generation FROM registry_generation WHERE id = 1)
     WHERE rowid = NEW.rowid;
    DELETE FROM registry_changes WHERE generation <= (SELECT kept_from FROM registry_generation WHERE id = 1);
END;

CREATE TRIGGER organizations_inserted AFTER INSERT ON organizations
BEGIN
    INSERT INTO registry_changes (generation, organization_id) VALUES (0, NEW.id);
END;

-- An update is logged only when it changes a field the index reads (not a sealed phone, say).
CREATE TRIGGER organizations_updated
    AFTER UPDATE OF name, credit_code, kind, level, status, division_code, categories, emerging_industry,
                    founded_on ON organizations
    WHEN OLD.name IS NOT NEW.name OR OLD.credit_code IS NOT NEW.credit_code OR OLD.kind IS NOT NEW.kind
      OR OLD.level IS NOT NEW.level OR OLD.status IS NOT NEW.status
      OR OLD.division_code IS NOT NEW.division_code OR OLD.categories IS NOT NEW.categories
      OR OLD.emerging_industry IS NOT NEW.emerging_industry OR OLD.founded_on IS NOT NEW.founded_on
BEGIN
    INSERT INTO registry_changes (generation, organization_id) VALUES (0, NEW.id);
END;

CREATE TRIGGER organizations_deleted AFTER DELETE ON organizations
BEGIN
    INSERT INTO registry_changes (generation, organization_id) VALUES (0, OLD.id);
END;

CREATE TRIGGER credit_listings_inserted AFTER INSERT ON credit_listings
BEGIN
    INSERT INTO registry_changes (generation, organization_id) VALUES (0, NEW.organization_id);
END;

CREATE TRIGGER credit_listings_updated AFTER UPDATE ON credit_listings
BEGIN
    INSERT INTO registry_changes (generation, organization_id) VALUES (0, NEW.organization_id);
END;

CREATE TRIGGER credit_listings_deleted AFTER DELETE ON credit_listings
BEGIN
    INSERT INTO registry_changes (generation, organization_id) VALUES (0, OLD.organization_id);
END;
