-- Access control: users' roles and portal contact, and the firm's
-- role-permission table (one versioned record, its grants as JSON).

ALTER TABLE users ADD COLUMN roles TEXT NOT NULL DEFAULT '[]';
ALTER TABLE users ADD COLUMN contact TEXT NOT NULL DEFAULT '';

-- A restricted case is visible only to its team.
ALTER TABLE cases ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0;

CREATE TABLE role_tables (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL,
    grants  TEXT NOT NULL
);

-- Ethical walls: who is screened from which cases and from every case of
-- which clients. Members live in their own tables, so a wall names any
-- number of them and lists can filter by them.
CREATE TABLE walls (
    id          TEXT PRIMARY KEY,
    reason      TEXT NOT NULL,
    approved_by TEXT NOT NULL REFERENCES users (id),
    created_by  TEXT NOT NULL,
    lifted      TEXT NOT NULL,
    lifted_by   TEXT NOT NULL,
    lift_reason TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created     TEXT NOT NULL,
    updated     TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE wall_users (
    wall_id TEXT NOT NULL REFERENCES walls (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (wall_id, user_id)
) WITHOUT ROWID;
CREATE INDEX wall_users_user ON wall_users (user_id, wall_id);

CREATE TABLE wall_cases (
    wall_id TEXT NOT NULL REFERENCES walls (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    PRIMARY KEY (wall_id, case_id)
) WITHOUT ROWID;
CREATE INDEX wall_cases_case ON wall_cases (case_id, wall_id);

CREATE TABLE wall_clients (
    wall_id    TEXT NOT NULL REFERENCES walls (id),
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    PRIMARY KEY (wall_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX wall_clients_contact ON wall_clients (contact_id, wall_id);
