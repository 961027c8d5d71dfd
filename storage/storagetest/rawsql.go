package storagetest

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

// SQLCorrupt is Corrupt for the SQL stores: it flips a byte in the
// middle of the content's second chunk (its first, if it has one) in
// blob_chunks, through db, behind the store's back (dropping the trigger
// that keeps stored content from changing, as a failing disk would not
// ask it).
func SQLCorrupt(db *sqlx.DB) Corrupt {
	return func(t *testing.T, _ storage.Store, hash string) {
		t.Helper()
		drop := "DROP TRIGGER IF EXISTS blob_chunks_immutable"
		if db.DriverName() == "pgx" {
			drop += " ON blob_chunks"
		}
		if _, err := db.Exec(drop); err != nil {
			t.Fatalf("%s: %v", drop, err)
		}
		var chunk struct {
			Seq  int    `db:"seq"`
			Data []byte `db:"data"`
			ID   string `db:"blob_id"`
		}
		err := db.Get(&chunk, db.Rebind(`SELECT c.seq, c.data, c.blob_id FROM blob_chunks c JOIN blobs b ON b.id = c.blob_id
			WHERE b.hash = ? ORDER BY CASE WHEN c.seq = 1 THEN 0 ELSE 1 END, c.seq LIMIT 1`), hash)
		if err != nil {
			t.Fatalf("reading a chunk of %s: %v", hash, err)
		}
		chunk.Data[len(chunk.Data)/2] ^= 0x5a
		if _, err := db.Exec(db.Rebind("UPDATE blob_chunks SET data = ? WHERE blob_id = ? AND seq = ?"), chunk.Data, chunk.ID, chunk.Seq); err != nil {
			t.Fatalf("corrupting %s: %v", hash, err)
		}
	}
}

// HeldInSQL checks that the database itself keeps what a legal hold
// covers: with holds in place, deleting a held document's versions (one
// revised by a held custodian included), the document, its content (the
// content row or its chunks) or its case straight in SQL, through db,
// fails; so does deleting the hold, taking its release back, moving a
// document to another case or changing stored bytes; and the content
// still reads back whole.
func HeldInSQL(t *testing.T, s storage.Store, db *sqlx.DB) {
	df := newDocumentFirm(t, s, nil)
	f, ctx := df.f, df.ctx
	d, v, err := f.Documents.Create(ctx, document.Document{Case: df.c.ID, Title: "Board minutes", Kind: document.Evidence}, text("minutes of 3 March"))
	if err != nil {
		t.Fatal(err)
	}
	hold, err := f.Documents.PlaceHold(ctx, document.Hold{Case: df.c.ID, Matter: "DOJ investigation", Reason: "grand jury subpoena"})
	if err != nil {
		t.Fatal(err)
	}
	// On another case: written by the partner, revised by Alice, whom a
	// custodian hold names.
	other, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Byron v. Initech", Client: df.client.ID, LeadAttorney: string(df.admin.ID),
		CaseManager: string(df.alice.ID)})
	if err != nil {
		t.Fatal(err)
	}
	revised, _, err := f.Documents.Create(ctx, document.Document{Case: other.ID, Title: "Term sheet", Kind: document.Contract}, text("draft terms"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Documents.AddVersion(df.as(df.alice), revised.ID, 1, text("Alice's terms")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Documents.PlaceHold(ctx, document.Hold{Custodian: string(df.alice.ID), Matter: "Doe v. Firm", Reason: "employment claim"}); err != nil {
		t.Fatal(err)
	}
	var blobID string
	if err := db.Get(&blobID, db.Rebind("SELECT id FROM blobs WHERE hash = ?"), v.Hash); err != nil {
		t.Fatal(err)
	}
	for _, q := range []struct {
		what, sql string
		args      []any
	}{
		{"the versions", "DELETE FROM document_versions WHERE document_id = ?", []any{string(d.ID)}},
		{"the document", "DELETE FROM documents WHERE id = ?", []any{string(d.ID)}},
		{"the content", "DELETE FROM blobs WHERE hash = ?", []any{v.Hash}},
		{"the content's chunks", "DELETE FROM blob_chunks WHERE blob_id = ?", []any{blobID}},
		{"the stored bytes (changing them)", "UPDATE blob_chunks SET data = data WHERE blob_id = ?", []any{blobID}},
		{"the case", "DELETE FROM cases WHERE id = ?", []any{string(df.c.ID)}},
		{"the hold", "DELETE FROM holds WHERE id = ?", []any{string(hold.ID)}},
		{"the hold's case (changing it)", "UPDATE holds SET case_id = ? WHERE id = ?", []any{string(other.ID), string(hold.ID)}},
		{"the document's case (moving it)", "UPDATE documents SET case_id = ? WHERE id = ?", []any{string(other.ID), string(d.ID)}},
		{"the custodian's colleague's version 1", "DELETE FROM document_versions WHERE document_id = ? AND number = 1", []any{string(revised.ID)}},
	} {
		if res, err := db.Exec(db.Rebind(q.sql), q.args...); err == nil {
			n, _ := res.RowsAffected()
			t.Errorf("deleting %s of held documents in SQL succeeded (%d rows)", q.what, n)
		} else {
			t.Logf("%s: %v", q.what, err)
		}
	}
	// A release happens once: taking it back is refused.
	if _, err := f.Documents.ReleaseHold(ctx, hold.ID, hold.Version, "closed"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(db.Rebind("UPDATE holds SET released = '' WHERE id = ?"), string(hold.ID)); err == nil {
		t.Error("taking a hold's release back in SQL succeeded")
	}
	// A version never changes, held or not.
	for _, q := range []string{
		"UPDATE document_versions SET size = size + 1 WHERE document_id = ?",
		"UPDATE document_versions SET hash = '" + strings.Repeat("0", 64) + "' WHERE document_id = ?",
	} {
		if _, err := db.Exec(db.Rebind(q), string(revised.ID)); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
	if got := contentOf(t, f, ctx, d.ID, 0); got != "minutes of 3 March" {
		t.Errorf("held content %q", got)
	}
	if got := contentOf(t, f, ctx, revised.ID, 1); got != "draft terms" {
		t.Errorf("the custodian's colleague's version %q", got)
	}
}

// SQLStore is a SQL store: one that hands out its writing connection, for
// the tests that go behind its back.
type SQLStore interface {
	storage.Store
	Writer() *sqlx.DB
}

// RunSQL runs the content tests a SQL store adds to the conformance
// suite, on stores made by open: content corrupted in its tables behind
// its back is reported, its triggers keep what a hold covers from a bare
// DELETE, and a 200 MB version goes in and out with the heap bounded.
func RunSQL[S SQLStore](t *testing.T, open func(t *testing.T) S) {
	t.Run("CorruptContent", func(t *testing.T) {
		var db *sqlx.DB
		CorruptContent(t, func(t *testing.T) storage.Store {
			s := open(t)
			db = s.Writer()
			return s
		}, nil, func(t *testing.T, s storage.Store, hash string) { SQLCorrupt(db)(t, s, hash) })
	})
	t.Run("HeldInSQL", func(t *testing.T) {
		s := open(t)
		defer s.Close()
		HeldInSQL(t, s, s.Writer())
	})
	t.Run("BigContent", func(t *testing.T) {
		s := open(t)
		defer s.Close()
		BigContent(t, s, nil, 200<<20)
	})
	t.Run("StoredOnce", func(t *testing.T) {
		s := open(t)
		defer s.Close()
		storedOnce(t, s, s.Writer())
	})
}

// storedOnce: the same bytes written twice, in one transaction and in
// another, are one content record with one set of chunks; the second
// write's chunks are dropped again.
func storedOnce(t *testing.T, s storage.Store, db *sqlx.DB) {
	ctx := context.Background()
	body := bytes.Repeat([]byte("the same exhibit, twice "), 100_000) // 2.4 MB: three chunks
	count := func() (blobs, chunks int) {
		t.Helper()
		if err := db.Get(&blobs, "SELECT COUNT(*) FROM blobs"); err != nil {
			t.Fatal(err)
		}
		if err := db.Get(&chunks, "SELECT COUNT(*) FROM blob_chunks"); err != nil {
			t.Fatal(err)
		}
		return blobs, chunks
	}
	b0, c0 := count()
	write := func(n int) {
		t.Helper()
		err := s.Update(ctx, func(tx storage.Tx) error {
			for range n {
				if _, err := tx.Blobs().Write(ctx, bytes.NewReader(body)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	write(2)
	write(1)
	if b, c := count(); b-b0 != 1 || c-c0 != 3 {
		t.Errorf("the same content three times: %d content records and %d chunks, want 1 and 3", b-b0, c-c0)
	}
}
