-- Documents: metadata, immutable versions, content stored once by its
-- SHA-256 in chunks, legal holds and templates.

-- Content: one row per distinct content, its chunks under a key of their
-- own (written before the hash is known).
CREATE TABLE blobs (
    hash    TEXT PRIMARY KEY,
    id      TEXT NOT NULL UNIQUE,
    size    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE blob_chunks (
    blob_id TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    data    BLOB NOT NULL,
    PRIMARY KEY (blob_id, seq)
);

CREATE TABLE documents (
    id                TEXT PRIMARY KEY,
    case_id           TEXT NOT NULL REFERENCES cases (id),
    title             TEXT NOT NULL,
    kind              TEXT NOT NULL,
    status            TEXT NOT NULL,
    tags              TEXT NOT NULL,
    author            TEXT NOT NULL,
    privileged        INTEGER NOT NULL,
    shared            INTEGER NOT NULL,
    current           INTEGER NOT NULL,
    checked_out_by    TEXT NOT NULL,
    checked_out_until TEXT NOT NULL,
    deleted           TEXT NOT NULL,
    deleted_by        TEXT NOT NULL,
    delete_reason     TEXT NOT NULL,
    version           INTEGER NOT NULL,
    created           TEXT NOT NULL,
    updated           TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX documents_case ON documents (case_id, id);
CREATE INDEX documents_author ON documents (author);

CREATE TABLE document_tags (
    document_id TEXT NOT NULL REFERENCES documents (id),
    tag         TEXT NOT NULL,
    PRIMARY KEY (document_id, tag)
) WITHOUT ROWID;
CREATE INDEX document_tags_tag ON document_tags (tag, document_id);

CREATE TABLE document_versions (
    document_id      TEXT NOT NULL REFERENCES documents (id),
    number           INTEGER NOT NULL,
    hash             TEXT NOT NULL REFERENCES blobs (hash),
    size             INTEGER NOT NULL,
    media_type       TEXT NOT NULL,
    author           TEXT NOT NULL,
    comment          TEXT NOT NULL,
    based_on         INTEGER NOT NULL,
    template         TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    created          TEXT NOT NULL,
    PRIMARY KEY (document_id, number)
) WITHOUT ROWID;
CREATE INDEX document_versions_hash ON document_versions (hash);
CREATE INDEX document_versions_author ON document_versions (author, document_id);

CREATE TABLE holds (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL,
    custodian      TEXT NOT NULL,
    matter         TEXT NOT NULL,
    reason         TEXT NOT NULL,
    placed_by      TEXT NOT NULL,
    released       TEXT NOT NULL,
    released_by    TEXT NOT NULL,
    release_reason TEXT NOT NULL,
    version        INTEGER NOT NULL,
    created        TEXT NOT NULL,
    updated        TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX holds_case ON holds (case_id);
CREATE INDEX holds_custodian ON holds (custodian);

CREATE TABLE templates (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    media_type TEXT NOT NULL,
    body       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    created    TEXT NOT NULL,
    updated    TEXT NOT NULL
) WITHOUT ROWID;

-- A version never changes, and nothing a legal hold covers is deleted,
-- whatever path the deletion takes.
CREATE TRIGGER document_versions_immutable BEFORE UPDATE ON document_versions
BEGIN
    SELECT RAISE(ABORT, 'document versions are immutable');
END;

-- What a hold covers: a document on its case (if it names one) that its
-- custodian (if it names one) wrote or revised.
CREATE TRIGGER document_versions_held BEFORE DELETE ON document_versions
WHEN EXISTS (SELECT 1 FROM holds h JOIN documents d ON d.id = OLD.document_id
    WHERE h.released = '' AND (h.case_id = '' OR h.case_id = d.case_id)
      AND (h.custodian = '' OR h.custodian = d.author
           OR EXISTS (SELECT 1 FROM document_versions v WHERE v.document_id = d.id AND v.author = h.custodian)))
BEGIN
    SELECT RAISE(ABORT, 'legal hold: the document version is held');
END;

CREATE TRIGGER documents_held BEFORE DELETE ON documents
WHEN EXISTS (SELECT 1 FROM holds h
    WHERE h.released = '' AND (h.case_id = '' OR h.case_id = OLD.case_id)
      AND (h.custodian = '' OR h.custodian = OLD.author
           OR EXISTS (SELECT 1 FROM document_versions v WHERE v.document_id = OLD.id AND v.author = h.custodian)))
BEGIN
    SELECT RAISE(ABORT, 'legal hold: the document is held');
END;

-- A document stays on its case and with its author.
CREATE TRIGGER documents_fixed BEFORE UPDATE OF case_id, author ON documents
WHEN NEW.case_id <> OLD.case_id OR NEW.author <> OLD.author
BEGIN
    SELECT RAISE(ABORT, 'a document keeps its case and its author');
END;

-- Stored content never changes, and held content is never deleted.
CREATE TRIGGER blob_chunks_immutable BEFORE UPDATE ON blob_chunks
BEGIN
    SELECT RAISE(ABORT, 'stored content is immutable');
END;

CREATE TRIGGER blob_chunks_held BEFORE DELETE ON blob_chunks
WHEN EXISTS (SELECT 1 FROM blobs b JOIN document_versions v ON v.hash = b.hash JOIN documents d ON d.id = v.document_id
    JOIN holds h ON h.released = '' AND (h.case_id = '' OR h.case_id = d.case_id)
        AND (h.custodian = '' OR h.custodian = d.author
             OR EXISTS (SELECT 1 FROM document_versions v2 WHERE v2.document_id = d.id AND v2.author = h.custodian))
    WHERE b.id = OLD.blob_id)
BEGIN
    SELECT RAISE(ABORT, 'legal hold: the content is held');
END;

-- A hold is never deleted; it is released once, and then stays as it is.
CREATE TRIGGER holds_no_delete BEFORE DELETE ON holds
BEGIN
    SELECT RAISE(ABORT, 'legal hold: a hold is released, never deleted');
END;

CREATE TRIGGER holds_release_only BEFORE UPDATE ON holds
WHEN OLD.released <> '' OR NEW.released = '' OR NEW.case_id <> OLD.case_id OR NEW.custodian <> OLD.custodian
BEGIN
    SELECT RAISE(ABORT, 'legal hold: a hold changes only by its release');
END;
