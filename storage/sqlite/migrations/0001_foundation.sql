-- Docket foundation schema for SQLite. Instants are UTC text to the
-- microsecond (2026-03-02T09:30:00.123456Z); dates are YYYY-MM-DD, '' when
-- unset; lists are JSON text. Tables with small rows and text keys are
-- WITHOUT ROWID, so a row lives in its primary key's b-tree alone.

CREATE TABLE users (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    email   TEXT NOT NULL,
    active  INTEGER NOT NULL,
    version INTEGER NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE contacts (
    id                 TEXT PRIMARY KEY,
    kind               TEXT NOT NULL,
    name               TEXT NOT NULL,
    aliases            TEXT NOT NULL,
    emails             TEXT NOT NULL,
    phones             TEXT NOT NULL,
    addresses          TEXT NOT NULL,
    preferred_language TEXT NOT NULL,
    interpreter_needed INTEGER NOT NULL,
    accessibility      TEXT NOT NULL,
    cultural_notes     TEXT NOT NULL,
    date_of_birth      TEXT NOT NULL,
    related            TEXT NOT NULL,
    notes              TEXT NOT NULL,
    version            INTEGER NOT NULL,
    created            TEXT NOT NULL,
    updated            TEXT NOT NULL
);
CREATE INDEX contacts_kind ON contacts (kind, id);

CREATE TABLE cases (
    id             TEXT PRIMARY KEY,
    reference      TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL,
    type           TEXT NOT NULL,
    practice_area  TEXT NOT NULL,
    court          TEXT NOT NULL,
    docket_number  TEXT NOT NULL,
    judge          TEXT NOT NULL,
    client         TEXT NOT NULL REFERENCES contacts (id),
    status         TEXT NOT NULL,
    stage          TEXT NOT NULL,
    outcome        TEXT NOT NULL,
    opened_on      TEXT NOT NULL,
    closed_on      TEXT NOT NULL,
    lead_attorney  TEXT NOT NULL,
    case_manager   TEXT NOT NULL,
    team           TEXT NOT NULL,
    intake         TEXT NOT NULL,
    conflict_check TEXT NOT NULL,
    version        INTEGER NOT NULL,
    created        TEXT NOT NULL,
    updated        TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX cases_client ON cases (client, id);
CREATE INDEX cases_status ON cases (status, id);

CREATE TABLE parties (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    role       TEXT NOT NULL,
    notes      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    created    TEXT NOT NULL,
    updated    TEXT NOT NULL,
    UNIQUE (case_id, contact_id, role)
) WITHOUT ROWID;
CREATE INDEX parties_contact ON parties (contact_id, id);

CREATE TABLE stage_changes (
    case_id    TEXT NOT NULL REFERENCES cases (id),
    seq        INTEGER NOT NULL,
    from_stage TEXT NOT NULL,
    to_stage   TEXT NOT NULL,
    exit_name  TEXT NOT NULL,
    reason     TEXT NOT NULL,
    by_user    TEXT NOT NULL,
    at         TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
) WITHOUT ROWID;

CREATE TABLE intakes (
    id             TEXT PRIMARY KEY,
    prospect       TEXT NOT NULL REFERENCES contacts (id),
    source         TEXT NOT NULL,
    referred_by    TEXT NOT NULL,
    case_type      TEXT NOT NULL,
    facts          TEXT NOT NULL,
    questions      TEXT NOT NULL,
    follow_ups     TEXT NOT NULL,
    adverse        TEXT NOT NULL,
    status         TEXT NOT NULL,
    conflict_check TEXT NOT NULL,
    case_id        TEXT NOT NULL,
    taken_by       TEXT NOT NULL,
    version        INTEGER NOT NULL,
    created        TEXT NOT NULL,
    updated        TEXT NOT NULL
);
CREATE INDEX intakes_prospect ON intakes (prospect, id);

CREATE TABLE meetings (
    id          TEXT PRIMARY KEY,
    contact_id  TEXT NOT NULL REFERENCES contacts (id),
    case_id     TEXT NOT NULL,
    intake_id   TEXT NOT NULL,
    at          TEXT NOT NULL,
    minutes     INTEGER NOT NULL,
    location    TEXT NOT NULL,
    attendees   TEXT NOT NULL,
    interpreter TEXT NOT NULL,
    notes       TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    created     TEXT NOT NULL
);
CREATE INDEX meetings_contact ON meetings (contact_id, id);
CREATE INDEX meetings_case ON meetings (case_id, id);

CREATE TABLE conflict_checks (
    id          TEXT PRIMARY KEY,
    intake_id   TEXT NOT NULL,
    subjects    TEXT NOT NULL,
    hits        TEXT NOT NULL,
    decision    TEXT NOT NULL,
    consent_ref TEXT NOT NULL,
    reason      TEXT NOT NULL,
    ran_by      TEXT NOT NULL,
    ran_at      TEXT NOT NULL,
    decided_by  TEXT NOT NULL,
    decided_at  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created     TEXT NOT NULL,
    updated     TEXT NOT NULL
);
CREATE INDEX conflict_checks_intake ON conflict_checks (intake_id, id);

CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;

-- The audit log is append-only: the triggers refuse edits and deletions,
-- and the hash chain (see package audit) exposes any that get past them.
CREATE TABLE audit_log (
    seq           INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id   TEXT NOT NULL,
    case_id       TEXT NOT NULL,
    reason        TEXT NOT NULL,
    changes       TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
);
CREATE INDEX audit_log_case ON audit_log (case_id, seq);
CREATE INDEX audit_log_resource ON audit_log (resource_type, resource_id, seq);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- The head records the last entry apart from the log, so that deleting the
-- last entries is caught too.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
