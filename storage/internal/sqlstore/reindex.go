package sqlstore

import (
	"context"
	"fmt"

	"github.com/docketkit/docket/storage"
)

// Reindex brings up to date the search entries a migration marked stale
// (PostgreSQL's 0010, which indexes the common words its English
// configuration dropped), each from the text the store keeps: a
// document's stored search text, a message's subject and text. It runs
// in batches, a transaction each; two processes opening the store at once
// share the work. Open calls it; with nothing stale it is one query per
// kind of entry.
func (s *Store) Reindex(ctx context.Context) error {
	if s.d.sqlite() {
		return nil
	}
	for _, step := range []func(context.Context, *txn) (int, error){reindexDocuments, reindexMessages} {
		for {
			var n int
			err := s.Update(ctx, func(tx storage.Tx) (err error) {
				n, err = step(ctx, tx.(*txn))
				return err
			})
			if err != nil {
				return fmt.Errorf("%s: reindexing search: %w", s.d.Name, err)
			}
			if n == 0 {
				break
			}
		}
	}
	return nil
}

// reindexBatch is how many entries one reindexing transaction takes.
const reindexBatch = 200

func reindexDocuments(ctx context.Context, t *txn) (int, error) {
	var rows []struct {
		ID    string `db:"document_id"`
		Title string `db:"title"`
		Tags  string `db:"tags"`
		Body  string `db:"body"`
	}
	if err := t.selectRows(ctx, &rows, fmt.Sprintf(`SELECT document_id, title, tags, body FROM document_text WHERE stale
		ORDER BY document_id LIMIT %d FOR UPDATE SKIP LOCKED`, reindexBatch)); err != nil {
		return 0, err
	}
	for _, r := range rows {
		err := t.tsvectorFit(ctx, r.Body, func(body string) error {
			_, err := t.exec(ctx, `UPDATE document_text SET tsv = `+pgVector+`, body = ?, stale = false WHERE document_id = ?`, r.Title, r.Tags, body, body, r.ID)
			return err
		})
		if err != nil {
			return 0, fmt.Errorf("document %s: %w", r.ID, err)
		}
	}
	return len(rows), nil
}

func reindexMessages(ctx context.Context, t *txn) (int, error) {
	var rows []struct {
		ID      string `db:"id"`
		Subject string `db:"subject"`
		Text    string `db:"body_text"`
	}
	if err := t.selectRows(ctx, &rows, fmt.Sprintf(`SELECT m.id, m.subject, m.body_text FROM message_text mt JOIN messages m ON m.id = mt.message_id
		WHERE mt.stale ORDER BY m.id LIMIT %d FOR UPDATE OF mt SKIP LOCKED`, reindexBatch)); err != nil {
		return 0, err
	}
	for _, r := range rows {
		subject, body := messageText(r.Subject, r.Text)
		err := t.tsvectorFit(ctx, body, func(body string) error {
			_, err := t.exec(ctx, `UPDATE message_text SET tsv = setweight(to_tsvector('docket_english', ?), 'A') || to_tsvector('docket_english', ?), stale = false
				WHERE message_id = ?`, subject, body, r.ID)
			return err
		})
		if err != nil {
			return 0, fmt.Errorf("message %s: %w", r.ID, err)
		}
	}
	return len(rows), nil
}
