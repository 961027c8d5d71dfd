-- Search finds every word, the common ones too (the, of, will), as the
-- SQLite and memory stores do: docket_english is PostgreSQL's English
-- configuration with its stemmer but without its stop list, so that
-- "will" finds a last will and "the motion" needs its "the".
CREATE TEXT SEARCH DICTIONARY docket_english_stem (TEMPLATE = snowball, Language = english);
CREATE TEXT SEARCH CONFIGURATION docket_english (COPY = english);
ALTER TEXT SEARCH CONFIGURATION docket_english
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH docket_english_stem;

-- Every search entry made before is indexed again, when the store opens
-- (sqlstore.Store.Reindex), from the text the store keeps.
ALTER TABLE document_text ADD COLUMN stale BOOLEAN NOT NULL DEFAULT false;
UPDATE document_text SET stale = true;
CREATE INDEX document_text_stale ON document_text (document_id) WHERE stale;
ALTER TABLE message_text ADD COLUMN stale BOOLEAN NOT NULL DEFAULT false;
UPDATE message_text SET stale = true;
CREATE INDEX message_text_stale ON message_text (message_id) WHERE stale;
