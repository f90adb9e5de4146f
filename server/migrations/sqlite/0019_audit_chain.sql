-- The audit log's hash chain (`store/audit/chain.rs`): each row's `hash` is the SHA-256 of its content and
-- of the row before it; `audit_chain` is the head (how many rows are chained, the last hash), updated
-- first by every append so that appends take turns. Rows written before this migration stay unhashed at
-- the start of the log. `sheguan audit verify` walks the chain.
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE TABLE audit_chain (
    id                   INTEGER PRIMARY KEY CHECK (id = 1),
    chained              BIGINT NOT NULL,
    hash                 TEXT NOT NULL
);
INSERT INTO audit_chain (id, chained, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
