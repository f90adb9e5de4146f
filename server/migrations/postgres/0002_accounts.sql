-- Organizations (the registry's core columns; later migrations add more), accounts, sessions,
-- sign-in attempts and the append-only audit log.
CREATE TABLE organizations (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    credit_code          TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL UNIQUE,
    kind                 TEXT NOT NULL CHECK (kind IN ('social_group', 'social_service', 'foundation')),
    level                TEXT NOT NULL CHECK (level IN ('provincial', 'city', 'county')),
    division_code        TEXT NOT NULL REFERENCES divisions (code),
    status               TEXT NOT NULL DEFAULT 'normal',
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX organizations_division ON organizations (division_code);

CREATE TABLE users (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,
    phone                TEXT UNIQUE,
    display_name         TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    role                 TEXT NOT NULL CHECK (role IN ('bureau_admin', 'local_staff', 'org_user', 'instructor')),
    division_code        TEXT REFERENCES divisions (code),
    organization_id      BIGINT REFERENCES organizations (id),
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    must_change_password BOOLEAN NOT NULL DEFAULT TRUE,
    is_demo              BOOLEAN NOT NULL DEFAULT FALSE,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    last_login_at        TIMESTAMPTZ,
    CHECK (role <> 'local_staff' OR division_code IS NOT NULL),
    CHECK (role <> 'org_user' OR organization_id IS NOT NULL)
);

-- Instructors' assigned organizations.
CREATE TABLE user_organizations (
    user_id              BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organization_id      BIGINT NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (user_id, organization_id)
);

-- Only a hash of the session token is stored: a copy of the database opens no session.
CREATE TABLE sessions (
    token_hash           TEXT PRIMARY KEY,
    user_id              BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at           TIMESTAMPTZ NOT NULL,
    last_seen_at         TIMESTAMPTZ NOT NULL,
    expires_at           TIMESTAMPTZ NOT NULL,
    client_addr          TEXT NOT NULL,
    user_agent           TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Every sign-in attempt, whether or not the username exists: lockout and rate limits count these.
CREATE TABLE login_events (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username             TEXT NOT NULL,
    user_id              BIGINT REFERENCES users (id) ON DELETE SET NULL,
    client_addr          TEXT NOT NULL,
    user_agent           TEXT NOT NULL,
    outcome              TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'locked', 'rate_limited')),
    at                   TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_events_username ON login_events (username, at);
CREATE INDEX login_events_client ON login_events (client_addr, at);
CREATE INDEX login_events_user ON login_events (user_id, at);

CREATE TABLE audit_log (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at                   TIMESTAMPTZ NOT NULL,
    actor_id             BIGINT,
    actor_name           TEXT NOT NULL,
    actor_role           TEXT,
    client_addr          TEXT NOT NULL,
    entity_type          TEXT NOT NULL,
    entity_id            TEXT NOT NULL,
    action               TEXT NOT NULL,
    before_json          TEXT,
    after_json           TEXT,
    reason               TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, at);
CREATE INDEX audit_log_actor ON audit_log (actor_name, at);

-- The audit log is append-only for the application.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
-- TRUNCATE fires no row trigger: refuse it per statement.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
