-- Two-step verification (TOTP) for accounts: the secret (sealed under the data key named by key_id,
-- never stored in clear), when it was confirmed and the last time step a code was used for (a code works
-- once); one-time recovery codes, stored only as SHA-256 hashes; sign-ins whose password was right and
-- that wait for their second step (the token stored as a hash, like a session's); and the sign-in outcome
-- 'second_factor' for such a password step, which neither counts as a failure nor ends the failures.
CREATE TABLE user_totp (
    user_id              BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    key_id               TEXT NOT NULL,
    secret_sealed        TEXT NOT NULL,
    confirmed_at         TIMESTAMPTZ,
    last_step            BIGINT,
    created_at           TIMESTAMPTZ NOT NULL
);

CREATE TABLE user_recovery_codes (
    user_id              BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash            TEXT NOT NULL,
    used_at              TIMESTAMPTZ,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE sign_in_challenges (
    token_hash           TEXT PRIMARY KEY,
    user_id              BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at           TIMESTAMPTZ NOT NULL,
    expires_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX sign_in_challenges_user ON sign_in_challenges (user_id);

ALTER TABLE login_events DROP CONSTRAINT login_events_outcome_check;
ALTER TABLE login_events ADD CONSTRAINT login_events_outcome_check
    CHECK (outcome IN ('success', 'failure', 'locked', 'rate_limited', 'second_factor'));
