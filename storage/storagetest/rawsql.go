package storagetest

import (
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

// SQLCorrupt is Corrupt for the SQL stores: it flips a byte in the
// middle of the content's second chunk (its first, if it has one) in
// blob_chunks, through db, behind the store's back.
func SQLCorrupt(db *sqlx.DB) Corrupt {
	return func(t *testing.T, _ storage.Store, hash string) {
		t.Helper()
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
// covers: with a hold on a case, deleting its documents' versions, the
// documents, their content or the case straight in SQL, through db,
// fails, and the content still reads back whole.
func HeldInSQL(t *testing.T, s storage.Store, db *sqlx.DB) {
	df := newDocumentFirm(t, s, nil)
	f, ctx := df.f, df.ctx
	d, v, err := f.Documents.Create(ctx, document.Document{Case: df.c.ID, Title: "Board minutes", Kind: document.Evidence}, text("minutes of 3 March"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Documents.PlaceHold(ctx, document.Hold{Case: df.c.ID, Matter: "DOJ investigation", Reason: "grand jury subpoena"}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []struct{ what, sql, arg string }{
		{"the versions", "DELETE FROM document_versions WHERE document_id = ?", string(d.ID)},
		{"the document", "DELETE FROM documents WHERE id = ?", string(d.ID)},
		{"the content", "DELETE FROM blobs WHERE hash = ?", v.Hash},
		{"the case", "DELETE FROM cases WHERE id = ?", string(df.c.ID)},
	} {
		if _, err := db.Exec(db.Rebind(q.sql), q.arg); err == nil {
			t.Errorf("deleting %s of a held document in SQL succeeded", q.what)
		} else {
			t.Logf("deleting %s: %v", q.what, err)
		}
	}
	if got := contentOf(t, f, ctx, d.ID, 0); got != "minutes of 3 March" {
		t.Errorf("held content %q", got)
	}
}
