-- Background jobs (`server/src/jobs/`): exports, daily scans, purges. A worker claims a job by setting it
-- running with a lease; `attempts` is the fencing token — a worker that lost its lease (its server died or
-- stalled) can no longer write progress or a result, so a job produces its result once.
CREATE TABLE jobs (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind                 TEXT NOT NULL,
    params               TEXT NOT NULL,
    owner_id             BIGINT REFERENCES users (id) ON DELETE CASCADE,
    -- One row per key: a daily run's `daily:<kind>:<day>` makes it run once however many servers ask.
    run_key              TEXT UNIQUE,
    status               TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    progress             DOUBLE PRECISION NOT NULL DEFAULT 0,
    progress_note        TEXT,
    attempts             INTEGER NOT NULL DEFAULT 0,
    max_attempts         INTEGER NOT NULL,
    run_after            TIMESTAMPTZ NOT NULL,
    locked_by            TEXT,
    lease_until          TIMESTAMPTZ,
    error                TEXT,
    summary              TEXT,
    file_name            TEXT,
    file_bytes           BIGINT,
    created_at           TIMESTAMPTZ NOT NULL,
    started_at           TIMESTAMPTZ,
    finished_at          TIMESTAMPTZ,
    expires_at           TIMESTAMPTZ
);
CREATE INDEX jobs_ready ON jobs (status, run_after);
CREATE INDEX jobs_owner ON jobs (owner_id, id);
CREATE INDEX jobs_kind ON jobs (kind, id);

-- An export's file, in pieces of at most 1 MiB: every server can serve it, none keeps it on its own disk.
CREATE TABLE job_files (
    job_id               BIGINT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq                  INTEGER NOT NULL,
    data                 BYTEA NOT NULL,
    PRIMARY KEY (job_id, seq)
);
