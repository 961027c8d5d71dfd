-- Docket foundation schema for PostgreSQL. Instants are UTC text to the
-- microsecond (2026-03-02T09:30:00.123456Z); dates are YYYY-MM-DD, '' when
-- unset; lists are JSON text.

CREATE TABLE users (
    id      TEXT COLLATE "C" PRIMARY KEY,
    name    TEXT COLLATE "C" NOT NULL,
    email   TEXT COLLATE "C" NOT NULL,
    active  BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created TEXT COLLATE "C" NOT NULL,
    updated TEXT COLLATE "C" NOT NULL
);

CREATE TABLE contacts (
    id                 TEXT COLLATE "C" PRIMARY KEY,
    kind               TEXT COLLATE "C" NOT NULL,
    name               TEXT COLLATE "C" NOT NULL,
    aliases            TEXT COLLATE "C" NOT NULL,
    emails             TEXT COLLATE "C" NOT NULL,
    phones             TEXT COLLATE "C" NOT NULL,
    addresses          TEXT COLLATE "C" NOT NULL,
    preferred_language TEXT COLLATE "C" NOT NULL,
    interpreter_needed BOOLEAN NOT NULL,
    accessibility      TEXT COLLATE "C" NOT NULL,
    cultural_notes     TEXT COLLATE "C" NOT NULL,
    date_of_birth      TEXT COLLATE "C" NOT NULL,
    related            TEXT COLLATE "C" NOT NULL,
    notes              TEXT COLLATE "C" NOT NULL,
    version            BIGINT NOT NULL,
    created            TEXT COLLATE "C" NOT NULL,
    updated            TEXT COLLATE "C" NOT NULL
);
CREATE INDEX contacts_kind ON contacts (kind, id);

CREATE TABLE cases (
    id             TEXT COLLATE "C" PRIMARY KEY,
    reference      TEXT COLLATE "C" NOT NULL UNIQUE,
    title          TEXT COLLATE "C" NOT NULL,
    type           TEXT COLLATE "C" NOT NULL,
    practice_area  TEXT COLLATE "C" NOT NULL,
    court          TEXT COLLATE "C" NOT NULL,
    docket_number  TEXT COLLATE "C" NOT NULL,
    judge          TEXT COLLATE "C" NOT NULL,
    client         TEXT COLLATE "C" NOT NULL REFERENCES contacts (id),
    status         TEXT COLLATE "C" NOT NULL,
    stage          TEXT COLLATE "C" NOT NULL,
    outcome        TEXT COLLATE "C" NOT NULL,
    opened_on      TEXT COLLATE "C" NOT NULL,
    closed_on      TEXT COLLATE "C" NOT NULL,
    lead_attorney  TEXT COLLATE "C" NOT NULL,
    case_manager   TEXT COLLATE "C" NOT NULL,
    team           TEXT COLLATE "C" NOT NULL,
    intake         TEXT COLLATE "C" NOT NULL,
    conflict_check TEXT COLLATE "C" NOT NULL,
    version        BIGINT NOT NULL,
    created        TEXT COLLATE "C" NOT NULL,
    updated        TEXT COLLATE "C" NOT NULL
);
CREATE INDEX cases_client ON cases (client, id);
CREATE INDEX cases_status ON cases (status, id);

CREATE TABLE parties (
    id         TEXT COLLATE "C" PRIMARY KEY,
    case_id    TEXT COLLATE "C" NOT NULL REFERENCES cases (id),
    contact_id TEXT COLLATE "C" NOT NULL REFERENCES contacts (id),
    role       TEXT COLLATE "C" NOT NULL,
    notes      TEXT COLLATE "C" NOT NULL,
    version    BIGINT NOT NULL,
    created    TEXT COLLATE "C" NOT NULL,
    updated    TEXT COLLATE "C" NOT NULL,
    UNIQUE (case_id, contact_id, role)
);
CREATE INDEX parties_contact ON parties (contact_id, id);

CREATE TABLE stage_changes (
    case_id    TEXT COLLATE "C" NOT NULL REFERENCES cases (id),
    seq        BIGINT NOT NULL,
    from_stage TEXT COLLATE "C" NOT NULL,
    to_stage   TEXT COLLATE "C" NOT NULL,
    exit_name  TEXT COLLATE "C" NOT NULL,
    reason     TEXT COLLATE "C" NOT NULL,
    by_user    TEXT COLLATE "C" NOT NULL,
    at         TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (case_id, seq)
);

CREATE TABLE intakes (
    id             TEXT COLLATE "C" PRIMARY KEY,
    prospect       TEXT COLLATE "C" NOT NULL REFERENCES contacts (id),
    source         TEXT COLLATE "C" NOT NULL,
    referred_by    TEXT COLLATE "C" NOT NULL,
    case_type      TEXT COLLATE "C" NOT NULL,
    facts          TEXT COLLATE "C" NOT NULL,
    questions      TEXT COLLATE "C" NOT NULL,
    follow_ups     TEXT COLLATE "C" NOT NULL,
    adverse        TEXT COLLATE "C" NOT NULL,
    status         TEXT COLLATE "C" NOT NULL,
    conflict_check TEXT COLLATE "C" NOT NULL,
    case_id        TEXT COLLATE "C" NOT NULL,
    taken_by       TEXT COLLATE "C" NOT NULL,
    version        BIGINT NOT NULL,
    created        TEXT COLLATE "C" NOT NULL,
    updated        TEXT COLLATE "C" NOT NULL
);
CREATE INDEX intakes_prospect ON intakes (prospect, id);

CREATE TABLE meetings (
    id          TEXT COLLATE "C" PRIMARY KEY,
    contact_id  TEXT COLLATE "C" NOT NULL REFERENCES contacts (id),
    case_id     TEXT COLLATE "C" NOT NULL,
    intake_id   TEXT COLLATE "C" NOT NULL,
    at          TEXT COLLATE "C" NOT NULL,
    minutes     INTEGER NOT NULL,
    location    TEXT COLLATE "C" NOT NULL,
    attendees   TEXT COLLATE "C" NOT NULL,
    interpreter TEXT COLLATE "C" NOT NULL,
    notes       TEXT COLLATE "C" NOT NULL,
    recorded_by TEXT COLLATE "C" NOT NULL,
    created     TEXT COLLATE "C" NOT NULL
);
CREATE INDEX meetings_contact ON meetings (contact_id, id);
CREATE INDEX meetings_case ON meetings (case_id, id);

CREATE TABLE conflict_checks (
    id          TEXT COLLATE "C" PRIMARY KEY,
    intake_id   TEXT COLLATE "C" NOT NULL,
    subjects    TEXT COLLATE "C" NOT NULL,
    hits        TEXT COLLATE "C" NOT NULL,
    decision    TEXT COLLATE "C" NOT NULL,
    consent_ref TEXT COLLATE "C" NOT NULL,
    reason      TEXT COLLATE "C" NOT NULL,
    ran_by      TEXT COLLATE "C" NOT NULL,
    ran_at      TEXT COLLATE "C" NOT NULL,
    decided_by  TEXT COLLATE "C" NOT NULL,
    decided_at  TEXT COLLATE "C" NOT NULL,
    version     BIGINT NOT NULL,
    created     TEXT COLLATE "C" NOT NULL,
    updated     TEXT COLLATE "C" NOT NULL
);
CREATE INDEX conflict_checks_intake ON conflict_checks (intake_id, id);

CREATE TABLE counters (
    name  TEXT COLLATE "C" PRIMARY KEY,
    value BIGINT NOT NULL
);

-- The audit log is append-only: the triggers refuse edits and deletions,
-- and the hash chain (see package audit) exposes any that get past them.
CREATE TABLE audit_log (
    seq           BIGINT PRIMARY KEY,
    at            TEXT COLLATE "C" NOT NULL,
    actor         TEXT COLLATE "C" NOT NULL,
    action        TEXT COLLATE "C" NOT NULL,
    resource_type TEXT COLLATE "C" NOT NULL,
    resource_id   TEXT COLLATE "C" NOT NULL,
    case_id       TEXT COLLATE "C" NOT NULL,
    reason        TEXT COLLATE "C" NOT NULL,
    changes       TEXT COLLATE "C" NOT NULL,
    prev_hash     TEXT COLLATE "C" NOT NULL,
    hash          TEXT COLLATE "C" NOT NULL
);
CREATE INDEX audit_log_case ON audit_log (case_id, seq);
CREATE INDEX audit_log_resource ON audit_log (resource_type, resource_id, seq);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- The head records the last entry apart from the log, so that deleting the
-- last entries is caught too.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT COLLATE "C" NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
