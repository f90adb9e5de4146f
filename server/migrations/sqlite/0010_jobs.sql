-- Background jobs (`server/src/jobs/`): exports, daily scans, purges. A worker claims a job by setting it
-- running with a lease; `attempts` is the fencing token — a worker that lost its lease (its server died or
-- stalled) can no longer write progress or a result, so a job produces its result once.
CREATE TABLE jobs (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    kind                 TEXT NOT NULL,
    params               TEXT NOT NULL,
    owner_id             INTEGER REFERENCES users (id) ON DELETE CASCADE,
    -- One row per key: a daily run's `daily:<kind>:<day>` makes it run once however many servers ask.
    run_key              TEXT UNIQUE,
    status               TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    progress             DOUBLE PRECISION NOT NULL DEFAULT 0,
    progress_note        TEXT,
    attempts             INTEGER NOT NULL DEFAULT 0,
    max_attempts         INTEGER NOT NULL,
    run_after            TEXT NOT NULL,
    locked_by            TEXT,
    lease_until          TEXT,
    error                TEXT,
    summary              TEXT,
    file_name            TEXT,
    file_bytes           INTEGER,
    created_at           TEXT NOT NULL,
    started_at           TEXT,
    finished_at          TEXT,
    expires_at           TEXT
);
CREATE INDEX jobs_ready ON jobs (status, run_after);
CREATE INDEX jobs_owner ON jobs (owner_id, id);
CREATE INDEX jobs_kind ON jobs (kind, id);

-- An export's file, in pieces of at most 1 MiB: every server can serve it, none keeps it on its own disk.
CREATE TABLE job_files (
    job_id               INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq                  INTEGER NOT NULL,
    data                 BLOB NOT NULL,
    PRIMARY KEY (job_id, seq)
);
