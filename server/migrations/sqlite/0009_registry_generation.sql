-- The registry's generation: bumped in the same transaction as every change to `organizations`, so that each
-- server's in-memory registry index (`store/registry_index.rs`) sees that it is stale at its next read.
CREATE TABLE registry_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO registry_generation (id, generation) VALUES (1, 1);

CREATE TRIGGER organizations_insert_generation AFTER INSERT ON organizations
BEGIN
    UPDATE registry_generation SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER organizations_update_generation AFTER UPDATE ON organizations
BEGIN
    UPDATE registry_generation SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER organizations_delete_generation AFTER DELETE ON organizations
BEGIN
    UPDATE registry_generation SET generation = generation + 1 WHERE id = 1;
END;
