-- Jobs that work on an uploaded file (a large registry import): the file in pieces of at most 1 MiB,
-- stored with the job in the transaction that queues it, so that any server can run the job; removed when
-- the job ends. `result` is what a finished job answers besides a file (an import's report, as JSON).
CREATE TABLE job_inputs (
    job_id               BIGINT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq                  INTEGER NOT NULL,
    data                 BYTEA NOT NULL,
    PRIMARY KEY (job_id, seq)
);
ALTER TABLE jobs ADD COLUMN result TEXT;
