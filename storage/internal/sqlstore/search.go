package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

// The search index differs between the engines: SQLite keeps an FTS4
// table over document_text (its external content), ranked by BM25 from
// matchinfo through the docket_rank function the sqlite package
// registers; PostgreSQL keeps a weighted tsvector in document_text under a
// GIN index, ranked by ts_rank.

var (
	selectTextKey  = staticFor("sqlite", "SELECT key, title, tags, length(body) AS body_len FROM document_text WHERE document_id = ?")
	selectTextBody = staticFor("sqlite", "SELECT body FROM document_text WHERE key = ?")
	insertText     = staticFor("sqlite", "INSERT INTO document_text (document_id, title, tags, body) VALUES (?, ?, ?, ?)")
	updateText     = staticFor("sqlite", "UPDATE document_text SET title = ?, tags = ?, body = ? WHERE key = ?")
	deleteFTS      = staticFor("sqlite", "DELETE FROM document_fts WHERE docid = ?")
	insertFTS      = staticFor("sqlite", "INSERT INTO document_fts (docid, title, tags, body) VALUES (?, ?, ?, ?)")
	deleteTextKey  = staticFor("sqlite", "DELETE FROM document_text WHERE key = ?")

	pgVector     = "setweight(to_tsvector('docket_english', ?), 'A') || setweight(to_tsvector('docket_english', ?), 'B') || setweight(to_tsvector('docket_english', ?), 'C')"
	pgSelectText = staticFor("postgres", "SELECT title, tags FROM document_text WHERE document_id = ?")
	pgUpsertText = staticFor("postgres", `INSERT INTO document_text (document_id, title, tags, body, tsv) VALUES (?, ?, ?, ?, `+pgVector+`)
		ON CONFLICT (document_id) DO UPDATE SET title = EXCLUDED.title, tags = EXCLUDED.tags, body = EXCLUDED.body, tsv = EXCLUDED.tsv, stale = false`)
	pgRetitle = staticFor("postgres", `UPDATE document_text SET title = ?, tags = ?,
		tsv = setweight(to_tsvector('docket_english', ?), 'A') || setweight(to_tsvector('docket_english', ?), 'B') || setweight(to_tsvector('docket_english', body), 'C'),
		stale = false
		WHERE document_id = ?`)
	deleteText = static("DELETE FROM document_text WHERE document_id = ?")
)

func (d *Dialect) sqlite() bool { return d.Name == "sqlite" }

// index brings a document's search entry up to date: its title and tags,
// and body when it is given (nil keeps the stored text). An unchanged
// title and tags with no new body cost one lookup.
func (r documents) index(ctx context.Context, d *document.Document, body *string) error {
	// The index holds words as document.IndexText gives them, so that no
	// engine's tokenizer decides what matches (FTS4's Porter tokenizer
	// folds ASCII only, and takes any other character for part of a
	// word).
	title := document.IndexText(d.Title)
	tags := document.IndexText(strings.Join(d.Tags, " "))
	d = &document.Document{ID: d.ID, Title: title}
	if r.t.s.d.sqlite() {
		return r.indexFTS4(ctx, d, tags, body)
	}
	var row struct {
		Title string `db:"title"`
		Tags  string `db:"tags"`
	}
	err := r.t.get(ctx, &row, pgSelectText, string(d.ID))
	switch {
	case errors.Is(err, storage.ErrNotFound):
		if body == nil {
			empty := ""
			body = &empty
		}
	case err != nil:
		return err
	case body == nil && row.Title == d.Title && row.Tags == tags:
		return nil
	case body == nil:
		_, err := r.t.exec(ctx, pgRetitle, d.Title, tags, d.Title, tags, string(d.ID))
		return err
	}
	return r.upsertPG(ctx, d, tags, *body)
}

// upsertPG stores the text and its vector. A tsvector holds at most 1 MB:
// text whose vector would not fit (hundreds of thousands of distinct
// words) is indexed in part, halving until it fits, under a savepoint so
// that the refusal does not end the transaction.
func (r documents) upsertPG(ctx context.Context, d *document.Document, tags, body string) error {
	err := r.t.tsvectorFit(ctx, body, func(body string) error {
		_, err := r.t.exec(ctx, pgUpsertText, string(d.ID), d.Title, tags, body, d.Title, tags, body)
		return err
	})
	if err != nil {
		return fmt.Errorf("document %s: indexing its text: %w", d.ID, err)
	}
	return nil
}

// tsvectorFit runs write with body under a savepoint, halving body while
// PostgreSQL refuses its vector as too long (a tsvector holds at most
// 1 MB), so that the refusal does not end the transaction.
func (t *txn) tsvectorFit(ctx context.Context, body string, write func(body string) error) error {
	for {
		if _, err := t.exec(ctx, "SAVEPOINT docket_text"); err != nil {
			return err
		}
		err := write(body)
		if err == nil {
			_, err = t.exec(ctx, "RELEASE SAVEPOINT docket_text")
			return err
		}
		if !strings.Contains(err.Error(), "too long for tsvector") || len(body) < 1024 {
			return err
		}
		if _, rerr := t.exec(ctx, "ROLLBACK TO SAVEPOINT docket_text"); rerr != nil {
			return rerr
		}
		body = strings.ToValidUTF8(body[:len(body)/2], "")
	}
}

func (r documents) indexFTS4(ctx context.Context, d *document.Document, tags string, body *string) error {
	d = &document.Document{ID: d.ID, Title: fts4Text(d.Title)}
	tags = fts4Text(tags)
	if body != nil {
		b := fts4Text(*body)
		body = &b
	}
	var row textRow
	err := r.t.get(ctx, &row, selectTextKey, string(d.ID))
	switch {
	case errors.Is(err, storage.ErrNotFound):
		text := ""
		if body != nil {
			text = *body
		}
		res, err := r.t.exec(ctx, insertText, string(d.ID), d.Title, tags, text)
		if err != nil {
			return err
		}
		if row.Key, err = res.LastInsertId(); err != nil {
			return err
		}
		_, err = r.t.exec(ctx, insertFTS, row.Key, d.Title, tags, text)
		return err
	case err != nil:
		return err
	case row.Title == d.Title && row.Tags == tags && (body == nil || *body == "" && row.BodyLen == 0):
		return nil
	}
	var text string
	if body != nil {
		text = *body
	} else if err := r.t.get(ctx, &text, selectTextBody, row.Key); err != nil {
		return err
	}
	// The index forgets the old entry by reading the content row, so it
	// goes before the row changes.
	if _, err := r.t.exec(ctx, deleteFTS, row.Key); err != nil {
		return err
	}
	if _, err := r.t.exec(ctx, updateText, d.Title, tags, text, row.Key); err != nil {
		return err
	}
	_, err = r.t.exec(ctx, insertFTS, row.Key, d.Title, tags, text)
	return err
}

// textRow is what indexFTS4 reads of a document's search entry.
type textRow struct {
	Key     int64  `db:"key"`
	Title   string `db:"title"`
	Tags    string `db:"tags"`
	BodyLen int64  `db:"body_len"`
}

// unindex removes a document's search entry.
func (r documents) unindex(ctx context.Context, id document.ID) error {
	if !r.t.s.d.sqlite() {
		_, err := r.t.exec(ctx, deleteText, string(id))
		return err
	}
	return r.t.dropFTS4(ctx, func() (int64, error) {
		var row textRow
		err := r.t.get(ctx, &row, selectTextKey, string(id))
		return row.Key, err
	}, deleteFTS, deleteTextKey)
}

// dropFTS4 removes an FTS4 entry, found by key (none is no error), and
// its content row: the index first, as it forgets an entry by reading
// the content row.
func (t *txn) dropFTS4(ctx context.Context, key func() (int64, error), deleteIndex, deleteRow string) error {
	k, err := key()
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	if _, err := t.exec(ctx, deleteIndex, k); err != nil {
		return err
	}
	_, err = t.exec(ctx, deleteRow, k)
	return err
}

func (r documents) SetText(ctx context.Context, id document.ID, text string) error {
	text = document.SearchText(text)
	d, err := r.Get(ctx, id)
	if err != nil {
		return err
	}
	return r.index(ctx, &d, &text)
}

// searchRow is a documents row with its score.
type searchRow struct {
	documentRow
	Score float64 `db:"score"`
}

var documentCols = func() string {
	cols := make([]string, len(documentsT.cols))
	for i, c := range documentsT.cols {
		cols[i] = "documents." + c
	}
	return strings.Join(cols, ", ")
}()

func (r documents) Search(ctx context.Context, q document.Query, f storage.DocumentFilter, p storage.Page) ([]storage.SearchHit, string, error) {
	offset, err := storage.SearchOffset(p)
	if err != nil {
		return nil, "", err
	}
	rows, err := r.searchRanked(ctx, q, f, offset, p.Size()+1)
	if err != nil {
		return nil, "", fmt.Errorf("document search: %w", err)
	}
	next := ""
	if len(rows) > p.Size() {
		rows, next = rows[:p.Size()], strconv.Itoa(offset+p.Size())
	}
	out := make([]storage.SearchHit, 0, len(rows))
	for _, row := range rows {
		d, err := row.document()
		if err != nil {
			return nil, "", fmt.Errorf("document search: %w", err)
		}
		out = append(out, storage.SearchHit{Document: d, Score: row.Score})
	}
	return out, next, nil
}

// rankedHit is a match as the index ranks it: its key (the FTS4 docid
// in SQLite, the document ID in PostgreSQL) and its score.
type rankedHit struct {
	Key   string  `db:"hit"`
	Score float64 `db:"score"`
}

// keyedRow is a documents row with its key in the index.
type keyedRow struct {
	documentRow
	Key string `db:"hit"`
}

// searchRanked ranks the matches in the index alone, best first, then
// reads and filters the best of them, widening the net until the page is
// full or the matches run out. Ranking needs no join; filtering (the
// visibility predicates above all, which planners cost badly when they
// come first) runs on as few matches as the page needs, and a reader who
// may see most documents pays for one round. Ties rank by their key in
// the index.
func (r documents) searchRanked(ctx context.Context, q document.Query, f storage.DocumentFilter, offset, limit int) ([]searchRow, error) {
	cond := r.t.s.d.documentFilter("documents", f)
	var rank, read string
	var rankArgs []any
	if r.t.s.d.sqlite() {
		rank = `SELECT CAST(docid AS TEXT) AS hit, docket_rank(matchinfo(document_fts, 'pcly'), 4.0, 2.0, 1.0) AS score
			FROM document_fts WHERE document_fts MATCH ? ORDER BY score DESC, docid LIMIT `
		rankArgs = []any{fts4Match(q)}
		read = `SELECT ` + documentCols + `, CAST(dt.key AS TEXT) AS hit FROM document_text dt JOIN documents ON documents.id = dt.document_id
			WHERE dt.key IN (SELECT value FROM json_each(?))`
	} else {
		tsq := tsQuery(q)
		rank = `SELECT dt.document_id AS hit, ts_rank(dt.tsv, to_tsquery('docket_english', ?)) AS score
			FROM document_text dt WHERE dt.tsv @@ to_tsquery('docket_english', ?) ORDER BY score DESC, dt.document_id LIMIT `
		rankArgs = []any{tsq, tsq}
		read = `SELECT ` + documentCols + `, documents.id AS hit FROM documents
			WHERE documents.id IN (SELECT jsonb_array_elements_text(CAST(? AS jsonb)))`
	}
	for _, w := range cond.where {
		read += " AND " + w
	}
	want := offset + limit
	for k := max(64, 2*want); ; k *= 4 {
		var ranked []rankedHit
		if err := r.t.selectRows(ctx, &ranked, rank+strconv.Itoa(k), rankArgs...); err != nil {
			return nil, err
		}
		keys, err := json.Marshal(hitKeys(ranked, r.t.s.d.sqlite()))
		if err != nil {
			return nil, err
		}
		var docs []keyedRow
		if err := r.t.selectRows(ctx, &docs, read, append([]any{string(keys)}, cond.args...)...); err != nil {
			return nil, err
		}
		byKey := make(map[string]documentRow, len(docs))
		for _, d := range docs {
			byKey[d.Key] = d.documentRow
		}
		var out []searchRow
		for _, h := range ranked {
			if d, ok := byKey[h.Key]; ok {
				out = append(out, searchRow{documentRow: d, Score: h.Score})
			}
		}
		if len(out) >= want || len(ranked) < k {
			if offset >= len(out) {
				return nil, nil
			}
			return out[offset:min(len(out), want)], nil
		}
	}
}

// hitKeys lists the ranked keys as the read query compares them: FTS4
// docids as numbers, document IDs as strings.
func hitKeys(ranked []rankedHit, numbers bool) []any {
	out := make([]any, len(ranked))
	for i, h := range ranked {
		if numbers {
			out[i] = json.Number(h.Key)
		} else {
			out[i] = h.Key
		}
	}
	return out
}

// fts4Match writes q for FTS4's MATCH: every term quoted (so no word is
// taken for an operator), prefixes starred, terms ANDed by juxtaposition.
func fts4Match(q document.Query) string {
	parts := make([]string, len(q.Terms))
	for i, t := range q.Terms {
		s := `"` + fts4Text(strings.Join(t.Words, " "))
		if t.Prefix {
			s += "*"
		}
		parts[i] = s + `"`
	}
	return strings.Join(parts, " ")
}

// fts4Text cuts words that hold digits and are longer than six bytes into
// pieces of at most six ("prod000012345" as "prod00 001234 5"), in what
// FTS4 indexes and in what it is asked (a term is a phrase, so the pieces
// must follow each other): FTS4's Porter tokenizer keeps only the first
// and last three bytes of a longer word with digits, so that Bates
// numbers, docket numbers and phone numbers would match each other. A
// piece with digits is kept whole and never stemmed; a prefix ends in its
// last piece. The text is words one space apart (document.IndexText).
func fts4Text(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for len(s) > 0 {
		end := strings.IndexByte(s, ' ')
		if end < 0 {
			end = len(s)
		}
		w := s[:end]
		if len(w) <= fts4Piece || !strings.ContainsAny(w, "0123456789") {
			b.WriteString(w)
		} else {
			for len(w) > 0 {
				n := min(len(w), fts4Piece)
				for n < len(w) && n > 1 && !utf8.RuneStart(w[n]) {
					n-- // never split a letter's bytes
				}
				b.WriteString(w[:n])
				if w = w[n:]; len(w) > 0 {
					b.WriteByte(' ')
				}
			}
		}
		if end < len(s) {
			b.WriteByte(' ')
			end++
		}
		s = s[end:]
	}
	return b.String()
}

// fts4Piece is the longest word with digits FTS4's Porter tokenizer
// keeps whole.
const fts4Piece = 6

// tsQuery writes q for to_tsquery: phrases with <->, prefixes with :*,
// terms joined by &. Words are letters and digits only, so nothing in
// them is an operator.
func tsQuery(q document.Query) string {
	parts := make([]string, len(q.Terms))
	for i, t := range q.Terms {
		words := make([]string, len(t.Words))
		copy(words, t.Words)
		if t.Prefix {
			words[len(words)-1] += ":*"
		}
		parts[i] = "(" + strings.Join(words, " <-> ") + ")"
	}
	return strings.Join(parts, " & ")
}
