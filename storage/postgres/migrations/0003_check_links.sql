-- A conflict check belongs to the client it was run for and to the case
-- it cleared the way for, so walls and case scope cover it whether or not
-- it came from an intake.
ALTER TABLE conflict_checks ADD COLUMN client_id TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE conflict_checks ADD COLUMN case_id TEXT COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX conflict_checks_case ON conflict_checks (case_id);
