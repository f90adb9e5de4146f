-- The registry's generation: bumped in the same transaction as every change to `organizations`, so that each
-- server's in-memory registry index (`store/registry_index.rs`) sees that it is stale at its next read.
CREATE TABLE registry_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO registry_generation (id, generation) VALUES (1, 1);

CREATE FUNCTION bump_registry_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE registry_generation SET generation = generation + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

-- Once per statement: an import of thousands of rows bumps it once.
CREATE TRIGGER organizations_generation
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organizations
    FOR EACH STATEMENT EXECUTE FUNCTION bump_registry_generation();
