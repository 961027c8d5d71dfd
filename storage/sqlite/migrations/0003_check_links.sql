-- A conflict check belongs to the clients it was run for (the intake's
-- prospect, or every client subject that names a contact) and to the case
-- it cleared the way for, so walls and case scope cover it whether or not
-- it came from an intake.
CREATE TABLE check_clients (
    check_id   TEXT NOT NULL REFERENCES conflict_checks (id),
    contact_id TEXT NOT NULL,
    PRIMARY KEY (check_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX check_clients_contact ON check_clients (contact_id, check_id);
ALTER TABLE conflict_checks ADD COLUMN case_id TEXT NOT NULL DEFAULT '';
CREATE INDEX conflict_checks_case ON conflict_checks (case_id);
