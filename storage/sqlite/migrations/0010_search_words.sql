-- Search finds every word, the common ones too (the, of, will). SQLite's
-- FTS4 with the Porter tokenizer always indexed them: nothing changes
-- here. PostgreSQL's 0010 stops dropping them.
SELECT 1;
