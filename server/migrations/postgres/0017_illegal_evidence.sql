-- Evidence files of illegal-organization clues (issue #13): photos and PDFs staff attach to a case, stored
-- like the ledger's (checked by content, under a random name in --evidence-dir), served to staff in scope.
CREATE TABLE illegal_case_evidence (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id              BIGINT NOT NULL REFERENCES illegal_cases (id),
    stored_name          TEXT NOT NULL UNIQUE,
    original_name        TEXT NOT NULL,
    file_type            TEXT NOT NULL,
    size_bytes           BIGINT NOT NULL,
    uploaded_by          BIGINT REFERENCES users (id),
    uploaded_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX illegal_case_evidence_case ON illegal_case_evidence (case_id);
