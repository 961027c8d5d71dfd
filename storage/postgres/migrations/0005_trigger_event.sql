-- A trigger may be an event on the case (a hearing a period counts back from):
-- moving the event moves the trigger and its deadlines.
ALTER TABLE triggers ADD COLUMN event_id TEXT COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX triggers_event ON triggers (event_id);
