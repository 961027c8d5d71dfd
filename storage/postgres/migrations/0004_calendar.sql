-- The court calendar: courts (their holiday calendars, closures and
-- cutoffs, kept as one JSON document each), events on cases with their
-- attendees, triggers and the deadlines computed from them, alerts waiting
-- for a dispatcher, and reminder settings.

CREATE TABLE courts (
    id      TEXT COLLATE "C" PRIMARY KEY,
    doc     TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL,
    created TEXT COLLATE "C" NOT NULL,
    updated TEXT COLLATE "C" NOT NULL
);

CREATE TABLE events (
    id            TEXT COLLATE "C" PRIMARY KEY,
    case_id       TEXT COLLATE "C" NOT NULL REFERENCES cases (id),
    kind          TEXT COLLATE "C" NOT NULL,
    stage         TEXT COLLATE "C" NOT NULL,
    title         TEXT COLLATE "C" NOT NULL,
    start_at      TEXT COLLATE "C" NOT NULL,
    end_at        TEXT COLLATE "C" NOT NULL,
    time_zone     TEXT COLLATE "C" NOT NULL,
    court         TEXT COLLATE "C" NOT NULL,
    location      TEXT COLLATE "C" NOT NULL,
    courtroom     TEXT COLLATE "C" NOT NULL,
    attendees     TEXT COLLATE "C" NOT NULL,
    status        TEXT COLLATE "C" NOT NULL,
    status_reason TEXT COLLATE "C" NOT NULL,
    status_by     TEXT COLLATE "C" NOT NULL,
    notes         TEXT COLLATE "C" NOT NULL,
    sequence      INTEGER NOT NULL,
    version       BIGINT NOT NULL,
    created       TEXT COLLATE "C" NOT NULL,
    updated       TEXT COLLATE "C" NOT NULL
);
CREATE INDEX events_case ON events (case_id, id);
CREATE INDEX events_start ON events (start_at);

-- One row per attendee of an event, so a diary or an export per person
-- is an indexed query.
CREATE TABLE event_attendees (
    event_id TEXT COLLATE "C" NOT NULL REFERENCES events (id),
    attendee TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (event_id, attendee)
);
CREATE INDEX event_attendees_attendee ON event_attendees (attendee, event_id);

CREATE TABLE triggers (
    id          TEXT COLLATE "C" PRIMARY KEY,
    case_id     TEXT COLLATE "C" NOT NULL REFERENCES cases (id),
    event       TEXT COLLATE "C" NOT NULL,
    date        TEXT COLLATE "C" NOT NULL,
    at          TEXT COLLATE "C" NOT NULL,
    service     TEXT COLLATE "C" NOT NULL,
    facts       TEXT COLLATE "C" NOT NULL,
    judge       TEXT COLLATE "C" NOT NULL,
    court       TEXT COLLATE "C" NOT NULL,
    rule_sets   TEXT COLLATE "C" NOT NULL,
    note        TEXT COLLATE "C" NOT NULL,
    recorded_by TEXT COLLATE "C" NOT NULL,
    version     BIGINT NOT NULL,
    created     TEXT COLLATE "C" NOT NULL,
    updated     TEXT COLLATE "C" NOT NULL
);
CREATE INDEX triggers_case ON triggers (case_id, id);

CREATE TABLE deadlines (
    id          TEXT COLLATE "C" PRIMARY KEY,
    case_id     TEXT COLLATE "C" NOT NULL REFERENCES cases (id),
    trigger_id  TEXT COLLATE "C" NOT NULL,
    rule_set    TEXT COLLATE "C" NOT NULL,
    rule        TEXT COLLATE "C" NOT NULL,
    title       TEXT COLLATE "C" NOT NULL,
    citation    TEXT COLLATE "C" NOT NULL,
    court       TEXT COLLATE "C" NOT NULL,
    due         TEXT COLLATE "C" NOT NULL,
    due_at      TEXT COLLATE "C" NOT NULL,
    explanation TEXT COLLATE "C" NOT NULL,
    status      TEXT COLLATE "C" NOT NULL,
    resolved_by TEXT COLLATE "C" NOT NULL,
    resolved_at TEXT COLLATE "C" NOT NULL,
    reason      TEXT COLLATE "C" NOT NULL,
    escalated   TEXT COLLATE "C" NOT NULL,
    sequence    INTEGER NOT NULL,
    version     BIGINT NOT NULL,
    created     TEXT COLLATE "C" NOT NULL,
    updated     TEXT COLLATE "C" NOT NULL
);
CREATE INDEX deadlines_case ON deadlines (case_id, id);
CREATE INDEX deadlines_trigger ON deadlines (trigger_id);
CREATE INDEX deadlines_due ON deadlines (status, due_at);

CREATE TABLE alerts (
    id            TEXT COLLATE "C" PRIMARY KEY,
    case_id       TEXT COLLATE "C" NOT NULL,
    kind          TEXT COLLATE "C" NOT NULL,
    deadline_id   TEXT COLLATE "C" NOT NULL,
    event_id      TEXT COLLATE "C" NOT NULL,
    recipient     TEXT COLLATE "C" NOT NULL,
    due           TEXT COLLATE "C" NOT NULL,
    offset_ns     BIGINT NOT NULL,
    message       TEXT COLLATE "C" NOT NULL,
    status        TEXT COLLATE "C" NOT NULL,
    claimed_by    TEXT COLLATE "C" NOT NULL,
    claimed_until TEXT COLLATE "C" NOT NULL,
    attempts      INTEGER NOT NULL,
    last_error    TEXT COLLATE "C" NOT NULL,
    delivered_at  TEXT COLLATE "C" NOT NULL,
    version       BIGINT NOT NULL,
    created       TEXT COLLATE "C" NOT NULL,
    updated       TEXT COLLATE "C" NOT NULL
);
CREATE INDEX alerts_due ON alerts (status, due);
CREATE INDEX alerts_deadline ON alerts (deadline_id);
CREATE INDEX alerts_event ON alerts (event_id);

CREATE TABLE reminders (
    scope     TEXT COLLATE "C" PRIMARY KEY,
    deadlines TEXT COLLATE "C" NOT NULL,
    events    TEXT COLLATE "C" NOT NULL,
    version   BIGINT NOT NULL,
    updated   TEXT COLLATE "C" NOT NULL
);
