-- Full-text search over documents: the title (weight A), the tags (B) and
-- the text of the current version (C), as a tsvector with the English
-- configuration, under a GIN index.

CREATE TABLE document_text (
    document_id TEXT COLLATE "C" PRIMARY KEY REFERENCES documents (id),
    title       TEXT COLLATE "C" NOT NULL,
    tags        TEXT COLLATE "C" NOT NULL,
    body        TEXT COLLATE "C" NOT NULL,
    tsv         TSVECTOR NOT NULL
);
CREATE INDEX document_text_tsv ON document_text USING GIN (tsv);

INSERT INTO document_text (document_id, title, tags, body, tsv)
    SELECT id, title, tags_text, '', setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', tags_text), 'B')
    FROM (SELECT id, title, COALESCE((SELECT string_agg(t, ' ') FROM json_array_elements_text(tags::json) t), '') AS tags_text FROM documents) d;
