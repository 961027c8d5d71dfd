-- Correspondence: messages, who took part in them, the content they
-- refer to, and the change feed's consumer cursors.

CREATE TABLE messages (
    id           TEXT PRIMARY KEY,
    channel      TEXT NOT NULL,
    direction    TEXT NOT NULL,
    at           TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body_text    TEXT NOT NULL,
    body_html    TEXT NOT NULL,
    case_id      TEXT NOT NULL,
    privileged   INTEGER NOT NULL,
    confidential INTEGER NOT NULL,
    participants TEXT NOT NULL,
    attachments  TEXT NOT NULL,
    attachment_documents TEXT NOT NULL,
    thread       TEXT NOT NULL,
    message_id   TEXT NOT NULL,
    in_reply_to  TEXT NOT NULL,
    refs         TEXT NOT NULL,
    source       TEXT NOT NULL,
    dedupe       TEXT NOT NULL,
    amends       TEXT NOT NULL,
    reason       TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    filed        TEXT NOT NULL,
    filed_by     TEXT NOT NULL,
    version      INTEGER NOT NULL,
    created      TEXT NOT NULL,
    updated      TEXT NOT NULL
) WITHOUT ROWID;
-- Lookups by dedupe key say dedupe <> '' too, so that the partial index
-- serves them.
CREATE UNIQUE INDEX messages_dedupe ON messages (dedupe) WHERE dedupe <> '';
CREATE INDEX messages_case ON messages (case_id, at, id);
CREATE INDEX messages_at ON messages (at, id);
CREATE INDEX messages_thread ON messages (thread, at);
CREATE INDEX messages_message_id ON messages (message_id);
CREATE INDEX messages_amends ON messages (amends);

-- The participants again, one row each, for filters and visibility.
CREATE TABLE message_participants (
    message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    role       TEXT NOT NULL,
    address    TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    PRIMARY KEY (message_id, seq)
) WITHOUT ROWID;
CREATE INDEX message_participants_contact ON message_participants (contact_id);
CREATE INDEX message_participants_user ON message_participants (user_id);
CREATE INDEX message_participants_address ON message_participants (address);

-- The content a message refers to (its attachments and its original),
-- which Blobs.Delete keeps while the message exists.
CREATE TABLE message_blobs (
    message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    hash       TEXT NOT NULL REFERENCES blobs (hash),
    PRIMARY KEY (message_id, hash)
) WITHOUT ROWID;
CREATE INDEX message_blobs_hash ON message_blobs (hash);

-- A message is a record: only its filing (its case and the documents its
-- attachments became, once, while unfiled) and its privileged and
-- confidential flags change.
CREATE TRIGGER messages_fixed BEFORE UPDATE ON messages
WHEN NEW.channel <> OLD.channel OR NEW.direction <> OLD.direction OR NEW.at <> OLD.at
  OR NEW.subject <> OLD.subject OR NEW.body_text <> OLD.body_text OR NEW.body_html <> OLD.body_html
  OR NEW.attachments <> OLD.attachments
  OR NEW.participants <> OLD.participants OR NEW.thread <> OLD.thread OR NEW.message_id <> OLD.message_id
  OR NEW.in_reply_to <> OLD.in_reply_to OR NEW.refs <> OLD.refs OR NEW.source <> OLD.source
  OR NEW.dedupe <> OLD.dedupe OR NEW.amends <> OLD.amends OR NEW.reason <> OLD.reason
  OR NEW.recorded_by <> OLD.recorded_by OR NEW.created <> OLD.created
  OR (OLD.case_id <> '' AND (NEW.case_id <> OLD.case_id OR NEW.attachment_documents <> OLD.attachment_documents
      OR NEW.filed <> OLD.filed OR NEW.filed_by <> OLD.filed_by))
BEGIN
    SELECT RAISE(ABORT, 'a message is a record: only its filing and its flags change');
END;

CREATE TRIGGER message_participants_fixed BEFORE UPDATE ON message_participants
BEGIN
    SELECT RAISE(ABORT, 'a message is a record: its participants do not change');
END;

CREATE TRIGGER message_blobs_fixed BEFORE UPDATE ON message_blobs
BEGIN
    SELECT RAISE(ABORT, 'a message is a record: its content does not change');
END;

-- What a hold covers: a message on its case (if it names one) that its
-- custodian (if it names one) recorded or took part in.
CREATE TRIGGER messages_held BEFORE DELETE ON messages
WHEN EXISTS (SELECT 1 FROM holds h
    WHERE h.released = '' AND (h.case_id = '' OR h.case_id = OLD.case_id)
      AND (h.custodian = '' OR h.custodian = OLD.recorded_by
           OR EXISTS (SELECT 1 FROM message_participants p WHERE p.message_id = OLD.id AND p.user_id = h.custodian)))
BEGIN
    SELECT RAISE(ABORT, 'legal hold: the message is held');
END;

-- Full-text search over messages' subjects and text, as over documents:
-- message_text holds what is indexed (words as document.IndexText gives
-- them), and the FTS4 index reads it as its external content, by key.
CREATE TABLE message_text (
    key        INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE REFERENCES messages (id),
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL
);
CREATE VIRTUAL TABLE message_fts USING fts4(content="message_text", subject, body, tokenize=porter);

-- Contacts' email addresses in lower case, for linking mail to them.
CREATE TABLE contact_emails (
    email      TEXT NOT NULL,
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    PRIMARY KEY (email, contact_id)
) WITHOUT ROWID;
INSERT INTO contact_emails (email, contact_id)
    SELECT DISTINCT lower(e.value), c.id FROM contacts c, json_each(c.emails) e;

CREATE TABLE feed_cursors (
    name    TEXT PRIMARY KEY,
    seq     INTEGER NOT NULL,
    version INTEGER NOT NULL,
    updated TEXT NOT NULL
) WITHOUT ROWID;
