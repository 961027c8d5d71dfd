-- Access control: users' roles and portal contact, and the firm's
-- role-permission table (one versioned record, its grants as JSON).

ALTER TABLE users ADD COLUMN roles TEXT COLLATE "C" NOT NULL DEFAULT '[]';
ALTER TABLE users ADD COLUMN contact TEXT COLLATE "C" NOT NULL DEFAULT '';

-- A restricted case is visible only to its team.
ALTER TABLE cases ADD COLUMN restricted BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE role_tables (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL,
    grants  TEXT COLLATE "C" NOT NULL
);

-- Ethical walls: who is screened from which cases and from every case of
-- which clients. Members live in their own tables, so a wall names any
-- number of them and lists can filter by them.
CREATE TABLE walls (
    id          TEXT COLLATE "C" PRIMARY KEY,
    reason      TEXT COLLATE "C" NOT NULL,
    approved_by TEXT COLLATE "C" NOT NULL REFERENCES users (id),
    created_by  TEXT COLLATE "C" NOT NULL,
    lifted      TEXT COLLATE "C" NOT NULL,
    lifted_by   TEXT COLLATE "C" NOT NULL,
    lift_reason TEXT COLLATE "C" NOT NULL,
    version     BIGINT NOT NULL,
    created     TEXT COLLATE "C" NOT NULL,
    updated     TEXT COLLATE "C" NOT NULL
);

CREATE TABLE wall_users (
    wall_id TEXT COLLATE "C" NOT NULL REFERENCES walls (id),
    user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id),
    PRIMARY KEY (wall_id, user_id)
);
CREATE INDEX wall_users_user ON wall_users (user_id, wall_id);

CREATE TABLE wall_cases (
    wall_id TEXT COLLATE "C" NOT NULL REFERENCES walls (id),
    case_id TEXT COLLATE "C" NOT NULL REFERENCES cases (id),
    PRIMARY KEY (wall_id, case_id)
);
CREATE INDEX wall_cases_case ON wall_cases (case_id, wall_id);

CREATE TABLE wall_clients (
    wall_id    TEXT COLLATE "C" NOT NULL REFERENCES walls (id),
    contact_id TEXT COLLATE "C" NOT NULL REFERENCES contacts (id),
    PRIMARY KEY (wall_id, contact_id)
);
CREATE INDEX wall_clients_contact ON wall_clients (contact_id, wall_id);
