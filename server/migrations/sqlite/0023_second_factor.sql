-- Two-step verification (TOTP) for accounts: the secret (sealed under the data key named by key_id,
-- never stored in clear), when it was confirmed and the last time step a code was used for (a code works
-- once); one-time recovery codes, stored only as SHA-256 hashes; sign-ins whose password was right and
-- that wait for their second step (the token stored as a hash, like a session's); and the sign-in outcome
-- 'second_factor' for such a password step, which neither counts as a failure nor ends the failures.
CREATE TABLE user_totp (
    user_id              INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    key_id               TEXT NOT NULL,
    secret_sealed        TEXT NOT NULL,
    confirmed_at         TEXT,
    last_step            INTEGER,
    created_at           TEXT NOT NULL
);

CREATE TABLE user_recovery_codes (
    user_id              INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash            TEXT NOT NULL,
    used_at              TEXT,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE sign_in_challenges (
    token_hash           TEXT PRIMARY KEY,
    user_id              INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at           TEXT NOT NULL,
    expires_at           TEXT NOT NULL
);
CREATE INDEX sign_in_challenges_user ON sign_in_challenges (user_id);

-- SQLite cannot change a CHECK constraint in place: the table is rebuilt with its rows and indexes.
CREATE TABLE login_events_new (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    username             TEXT NOT NULL,
    user_id              INTEGER REFERENCES users (id) ON DELETE SET NULL,
    client_addr          TEXT NOT NULL,
    user_agent           TEXT NOT NULL,
    outcome              TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'locked', 'rate_limited', 'second_factor')),
    at                   TEXT NOT NULL
);
INSERT INTO login_events_new (id, username, user_id, client_addr, user_agent, outcome, at)
    SELECT id, username, user_id, client_addr, user_agent, outcome, at FROM login_events;
DROP TABLE login_events;
ALTER TABLE login_events_new RENAME TO login_events;
CREATE INDEX login_events_username ON login_events (username, at);
CREATE INDEX login_events_client ON login_events (client_addr, at);
CREATE INDEX login_events_user ON login_events (user_id, at);
