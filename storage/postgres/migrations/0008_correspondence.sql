-- Correspondence: messages, who took part in them, the content they
-- refer to, and the change feed's consumer cursors.

CREATE TABLE messages (
    id           TEXT COLLATE "C" PRIMARY KEY,
    channel      TEXT COLLATE "C" NOT NULL,
    direction    TEXT COLLATE "C" NOT NULL,
    at           TEXT COLLATE "C" NOT NULL,
    subject      TEXT COLLATE "C" NOT NULL,
    body_text    TEXT COLLATE "C" NOT NULL,
    body_html    TEXT COLLATE "C" NOT NULL,
    case_id      TEXT COLLATE "C" NOT NULL,
    privileged   BOOLEAN NOT NULL,
    confidential BOOLEAN NOT NULL,
    participants TEXT COLLATE "C" NOT NULL,
    attachments  TEXT COLLATE "C" NOT NULL,
    attachment_documents TEXT COLLATE "C" NOT NULL,
    thread       TEXT COLLATE "C" NOT NULL,
    message_id   TEXT COLLATE "C" NOT NULL,
    in_reply_to  TEXT COLLATE "C" NOT NULL,
    refs         TEXT COLLATE "C" NOT NULL,
    source       TEXT COLLATE "C" NOT NULL,
    dedupe       TEXT COLLATE "C" NOT NULL,
    amends       TEXT COLLATE "C" NOT NULL,
    reason       TEXT COLLATE "C" NOT NULL,
    recorded_by  TEXT COLLATE "C" NOT NULL,
    filed        TEXT COLLATE "C" NOT NULL,
    filed_by     TEXT COLLATE "C" NOT NULL,
    version      BIGINT NOT NULL,
    created      TEXT COLLATE "C" NOT NULL,
    updated      TEXT COLLATE "C" NOT NULL
);
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
    message_id TEXT COLLATE "C" NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    seq        BIGINT NOT NULL,
    role       TEXT COLLATE "C" NOT NULL,
    address    TEXT COLLATE "C" NOT NULL,
    contact_id TEXT COLLATE "C" NOT NULL,
    user_id    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (message_id, seq)
);
CREATE INDEX message_participants_contact ON message_participants (contact_id);
CREATE INDEX message_participants_user ON message_participants (user_id);
CREATE INDEX message_participants_address ON message_participants (address);

-- The content a message refers to (its attachments and its original),
-- which Blobs.Delete keeps while the message exists.
CREATE TABLE message_blobs (
    message_id TEXT COLLATE "C" NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    hash       TEXT COLLATE "C" NOT NULL REFERENCES blobs (hash),
    PRIMARY KEY (message_id, hash)
);
CREATE INDEX message_blobs_hash ON message_blobs (hash);

-- A message is a record: only its filing (its case and the documents its
-- attachments became, once, while unfiled) and its privileged and
-- confidential flags change.
CREATE FUNCTION messages_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.channel <> OLD.channel OR NEW.direction <> OLD.direction OR NEW.at <> OLD.at
      OR NEW.subject <> OLD.subject OR NEW.body_text <> OLD.body_text OR NEW.body_html <> OLD.body_html
  OR NEW.attachments <> OLD.attachments
      OR NEW.participants <> OLD.participants OR NEW.thread <> OLD.thread OR NEW.message_id <> OLD.message_id
      OR NEW.in_reply_to <> OLD.in_reply_to OR NEW.refs <> OLD.refs OR NEW.source <> OLD.source
      OR NEW.dedupe <> OLD.dedupe OR NEW.amends <> OLD.amends OR NEW.reason <> OLD.reason
      OR NEW.recorded_by <> OLD.recorded_by OR NEW.created <> OLD.created
      OR (OLD.case_id <> '' AND (NEW.case_id <> OLD.case_id OR NEW.attachment_documents <> OLD.attachment_documents
          OR NEW.filed <> OLD.filed OR NEW.filed_by <> OLD.filed_by)) THEN
        RAISE EXCEPTION 'a message is a record: only its filing and its flags change';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER messages_fixed BEFORE UPDATE ON messages
    FOR EACH ROW EXECUTE FUNCTION messages_fixed();

CREATE FUNCTION message_parts_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a message is a record: its participants and content do not change';
END;
$$;
CREATE TRIGGER message_participants_fixed BEFORE UPDATE ON message_participants
    FOR EACH ROW EXECUTE FUNCTION message_parts_fixed();
CREATE TRIGGER message_blobs_fixed BEFORE UPDATE ON message_blobs
    FOR EACH ROW EXECUTE FUNCTION message_parts_fixed();

-- What a hold covers: a message on its case (if it names one) that its
-- custodian (if it names one) recorded or took part in.
CREATE FUNCTION message_held(msg TEXT) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM holds h JOIN messages m ON m.id = msg
        WHERE h.released = '' AND (h.case_id = '' OR h.case_id = m.case_id)
          AND (h.custodian = '' OR h.custodian = m.recorded_by
               OR EXISTS (SELECT 1 FROM message_participants p WHERE p.message_id = m.id AND p.user_id = h.custodian)))
$$;

CREATE FUNCTION messages_held() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF message_held(OLD.id) THEN
        RAISE EXCEPTION 'legal hold: the message is held';
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER messages_held BEFORE DELETE ON messages
    FOR EACH ROW EXECUTE FUNCTION messages_held();

-- Full-text search over messages' subjects and text, as over documents.
CREATE TABLE message_text (
    message_id TEXT COLLATE "C" PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    tsv        TSVECTOR NOT NULL
);
CREATE INDEX message_text_tsv ON message_text USING GIN (tsv);

-- Contacts' email addresses in lower case, for linking mail to them.
CREATE TABLE contact_emails (
    email      TEXT COLLATE "C" NOT NULL,
    contact_id TEXT COLLATE "C" NOT NULL REFERENCES contacts (id),
    PRIMARY KEY (email, contact_id)
);
INSERT INTO contact_emails (email, contact_id)
    SELECT DISTINCT lower(e), c.id FROM contacts c, jsonb_array_elements_text(c.emails::jsonb) e;

CREATE TABLE feed_cursors (
    name    TEXT COLLATE "C" PRIMARY KEY,
    seq     BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated TEXT COLLATE "C" NOT NULL
);
