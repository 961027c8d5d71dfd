-- The court calendar: courts (their holiday calendars, closures and
-- cutoffs, kept as one JSON document each), events on cases with their
-- attendees, triggers and the deadlines computed from them, alerts waiting
-- for a dispatcher, and reminder settings.

CREATE TABLE courts (
    id      TEXT PRIMARY KEY,
    doc     TEXT NOT NULL,
    version INTEGER NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE events (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases (id),
    kind          TEXT NOT NULL,
    stage         TEXT NOT NULL,
    title         TEXT NOT NULL,
    start_at      TEXT NOT NULL,
    end_at        TEXT NOT NULL,
    time_zone     TEXT NOT NULL,
    court         TEXT NOT NULL,
    location      TEXT NOT NULL,
    courtroom     TEXT NOT NULL,
    attendees     TEXT NOT NULL,
    status        TEXT NOT NULL,
    status_reason TEXT NOT NULL,
    status_by     TEXT NOT NULL,
    notes         TEXT NOT NULL,
    sequence      INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    created       TEXT NOT NULL,
    updated       TEXT NOT NULL
);
CREATE INDEX events_case ON events (case_id, id);
CREATE INDEX events_start ON events (start_at);

-- One row per attendee of an event, so a diary or an export per person
-- is an indexed query.
CREATE TABLE event_attendees (
    event_id TEXT NOT NULL REFERENCES events (id),
    attendee TEXT NOT NULL,
    PRIMARY KEY (event_id, attendee)
) WITHOUT ROWID;
CREATE INDEX event_attendees_attendee ON event_attendees (attendee, event_id);

CREATE TABLE triggers (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    event       TEXT NOT NULL,
    date        TEXT NOT NULL,
    at          TEXT NOT NULL,
    service     TEXT NOT NULL,
    facts       TEXT NOT NULL,
    judge       TEXT NOT NULL,
    court       TEXT NOT NULL,
    rule_sets   TEXT NOT NULL,
    note        TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created     TEXT NOT NULL,
    updated     TEXT NOT NULL
);
CREATE INDEX triggers_case ON triggers (case_id, id);

CREATE TABLE deadlines (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    trigger_id  TEXT NOT NULL,
    rule_set    TEXT NOT NULL,
    rule        TEXT NOT NULL,
    title       TEXT NOT NULL,
    citation    TEXT NOT NULL,
    court       TEXT NOT NULL,
    due         TEXT NOT NULL,
    due_at      TEXT NOT NULL,
    explanation TEXT NOT NULL,
    status      TEXT NOT NULL,
    resolved_by TEXT NOT NULL,
    resolved_at TEXT NOT NULL,
    reason      TEXT NOT NULL,
    escalated   TEXT NOT NULL,
    sequence    INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    created     TEXT NOT NULL,
    updated     TEXT NOT NULL
);
CREATE INDEX deadlines_case ON deadlines (case_id, id);
CREATE INDEX deadlines_trigger ON deadlines (trigger_id);
CREATE INDEX deadlines_due ON deadlines (status, due_at);

CREATE TABLE alerts (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    deadline_id   TEXT NOT NULL,
    event_id      TEXT NOT NULL,
    recipient     TEXT NOT NULL,
    due           TEXT NOT NULL,
    offset_ns     INTEGER NOT NULL,
    message       TEXT NOT NULL,
    status        TEXT NOT NULL,
    claimed_by    TEXT NOT NULL,
    claimed_until TEXT NOT NULL,
    attempts      INTEGER NOT NULL,
    last_error    TEXT NOT NULL,
    delivered_at  TEXT NOT NULL,
    version       INTEGER NOT NULL,
    created       TEXT NOT NULL,
    updated       TEXT NOT NULL
);
CREATE INDEX alerts_due ON alerts (status, due);
CREATE INDEX alerts_deadline ON alerts (deadline_id);
CREATE INDEX alerts_event ON alerts (event_id);

CREATE TABLE reminders (
    scope     TEXT PRIMARY KEY,
    deadlines TEXT NOT NULL,
    events    TEXT NOT NULL,
    version   INTEGER NOT NULL,
    updated   TEXT NOT NULL
) WITHOUT ROWID;
