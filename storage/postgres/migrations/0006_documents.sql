-- Documents: metadata, immutable versions, content stored once by its
-- SHA-256 in chunks, legal holds and templates.

-- Content: one row per distinct content, its chunks under a key of their
-- own (written before the hash is known).
CREATE TABLE blobs (
    hash    TEXT COLLATE "C" PRIMARY KEY,
    id      TEXT COLLATE "C" NOT NULL UNIQUE,
    size    BIGINT NOT NULL
);

CREATE TABLE blob_chunks (
    blob_id TEXT COLLATE "C" NOT NULL,
    seq     BIGINT NOT NULL,
    data    BYTEA NOT NULL,
    PRIMARY KEY (blob_id, seq)
);

CREATE TABLE documents (
    id                TEXT COLLATE "C" PRIMARY KEY,
    case_id           TEXT COLLATE "C" NOT NULL REFERENCES cases (id),
    title             TEXT COLLATE "C" NOT NULL,
    kind              TEXT COLLATE "C" NOT NULL,
    status            TEXT COLLATE "C" NOT NULL,
    tags              TEXT COLLATE "C" NOT NULL,
    author            TEXT COLLATE "C" NOT NULL,
    privileged        BOOLEAN NOT NULL,
    shared            BOOLEAN NOT NULL,
    current           BIGINT NOT NULL,
    checked_out_by    TEXT COLLATE "C" NOT NULL,
    checked_out_until TEXT COLLATE "C" NOT NULL,
    deleted           TEXT COLLATE "C" NOT NULL,
    deleted_by        TEXT COLLATE "C" NOT NULL,
    delete_reason     TEXT COLLATE "C" NOT NULL,
    version           BIGINT NOT NULL,
    created           TEXT COLLATE "C" NOT NULL,
    updated           TEXT COLLATE "C" NOT NULL
);
CREATE INDEX documents_case ON documents (case_id, id);
CREATE INDEX documents_author ON documents (author);

CREATE TABLE document_tags (
    document_id TEXT COLLATE "C" NOT NULL REFERENCES documents (id),
    tag         TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (document_id, tag)
);
CREATE INDEX document_tags_tag ON document_tags (tag, document_id);

CREATE TABLE document_versions (
    document_id      TEXT COLLATE "C" NOT NULL REFERENCES documents (id),
    number           BIGINT NOT NULL,
    hash             TEXT COLLATE "C" NOT NULL REFERENCES blobs (hash),
    size             BIGINT NOT NULL,
    media_type       TEXT COLLATE "C" NOT NULL,
    author           TEXT COLLATE "C" NOT NULL,
    comment          TEXT COLLATE "C" NOT NULL,
    based_on         BIGINT NOT NULL,
    template         TEXT COLLATE "C" NOT NULL,
    template_version BIGINT NOT NULL,
    created          TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (document_id, number)
);
CREATE INDEX document_versions_hash ON document_versions (hash);
CREATE INDEX document_versions_author ON document_versions (author, document_id);

CREATE TABLE holds (
    id             TEXT COLLATE "C" PRIMARY KEY,
    case_id        TEXT COLLATE "C" NOT NULL,
    custodian      TEXT COLLATE "C" NOT NULL,
    matter         TEXT COLLATE "C" NOT NULL,
    reason         TEXT COLLATE "C" NOT NULL,
    placed_by      TEXT COLLATE "C" NOT NULL,
    released       TEXT COLLATE "C" NOT NULL,
    released_by    TEXT COLLATE "C" NOT NULL,
    release_reason TEXT COLLATE "C" NOT NULL,
    version        BIGINT NOT NULL,
    created        TEXT COLLATE "C" NOT NULL,
    updated        TEXT COLLATE "C" NOT NULL
);
CREATE INDEX holds_case ON holds (case_id);
CREATE INDEX holds_custodian ON holds (custodian);

CREATE TABLE templates (
    id         TEXT COLLATE "C" PRIMARY KEY,
    name       TEXT COLLATE "C" NOT NULL,
    kind       TEXT COLLATE "C" NOT NULL,
    title      TEXT COLLATE "C" NOT NULL,
    media_type TEXT COLLATE "C" NOT NULL,
    body       TEXT COLLATE "C" NOT NULL,
    version    BIGINT NOT NULL,
    created    TEXT COLLATE "C" NOT NULL,
    updated    TEXT COLLATE "C" NOT NULL
);

-- A version never changes, and nothing a legal hold covers is deleted,
-- whatever path the deletion takes.
CREATE FUNCTION document_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'document versions are immutable';
END;
$$;
CREATE TRIGGER document_versions_immutable BEFORE UPDATE ON document_versions
    FOR EACH ROW EXECUTE FUNCTION document_versions_immutable();

-- What a hold covers: a document on its case (if it names one) that its
-- custodian (if it names one) wrote or revised.
CREATE FUNCTION document_held(doc TEXT) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM holds h JOIN documents d ON d.id = doc
        WHERE h.released = '' AND (h.case_id = '' OR h.case_id = d.case_id)
          AND (h.custodian = '' OR h.custodian = d.author
               OR EXISTS (SELECT 1 FROM document_versions v WHERE v.document_id = d.id AND v.author = h.custodian)))
$$;

CREATE FUNCTION document_versions_held() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF document_held(OLD.document_id) THEN
        RAISE EXCEPTION 'legal hold: the document version is held';
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER document_versions_held BEFORE DELETE ON document_versions
    FOR EACH ROW EXECUTE FUNCTION document_versions_held();

CREATE FUNCTION documents_held() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF document_held(OLD.id) THEN
        RAISE EXCEPTION 'legal hold: the document is held';
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER documents_held BEFORE DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION documents_held();

-- A document stays on its case and with its author.
CREATE FUNCTION documents_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.case_id <> OLD.case_id OR NEW.author <> OLD.author THEN
        RAISE EXCEPTION 'a document keeps its case and its author';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER documents_fixed BEFORE UPDATE ON documents
    FOR EACH ROW EXECUTE FUNCTION documents_fixed();

-- Stored content never changes, and held content is never deleted.
CREATE FUNCTION blob_chunks_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'stored content is immutable';
END;
$$;
CREATE TRIGGER blob_chunks_immutable BEFORE UPDATE ON blob_chunks
    FOR EACH ROW EXECUTE FUNCTION blob_chunks_immutable();

CREATE FUNCTION blob_chunks_held() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM blobs b JOIN document_versions v ON v.hash = b.hash
        WHERE b.id = OLD.blob_id AND document_held(v.document_id)) THEN
        RAISE EXCEPTION 'legal hold: the content is held';
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER blob_chunks_held BEFORE DELETE ON blob_chunks
    FOR EACH ROW EXECUTE FUNCTION blob_chunks_held();

-- A hold is never deleted; it is released once, and then stays as it is.
CREATE FUNCTION holds_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
        RAISE EXCEPTION 'legal hold: a hold is released, never deleted';
    END IF;
    IF OLD.released <> '' OR NEW.released = '' OR NEW.case_id <> OLD.case_id OR NEW.custodian <> OLD.custodian THEN
        RAISE EXCEPTION 'legal hold: a hold changes only by its release';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER holds_guard BEFORE UPDATE OR DELETE ON holds
    FOR EACH ROW EXECUTE FUNCTION holds_guard();
CREATE TRIGGER holds_no_truncate BEFORE TRUNCATE ON holds
    FOR EACH STATEMENT EXECUTE FUNCTION holds_guard();
