-- Full-text search over documents: the title, the tags and the text of
-- the current version, in an FTS4 index (the default build of
-- mattn/go-sqlite3 has FTS4; FTS5 needs a build tag) with the Porter
-- stemmer. document_text holds what is indexed; the index reads it as its
-- external content, by key.

CREATE TABLE document_text (
    key         INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL UNIQUE REFERENCES documents (id),
    title       TEXT NOT NULL,
    tags        TEXT NOT NULL,
    body        TEXT NOT NULL
);

CREATE VIRTUAL TABLE document_fts USING fts4(content="document_text", title, tags, body, tokenize=porter);

INSERT INTO document_text (document_id, title, tags, body)
    SELECT id, title, REPLACE(REPLACE(REPLACE(REPLACE(tags, '","', ' '), '["', ''), '"]', ''), '[]', ''), '' FROM documents;
INSERT INTO document_fts (document_fts) VALUES ('rebuild');
