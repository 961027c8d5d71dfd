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
