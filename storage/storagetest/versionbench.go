package storagetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/docketkit/docket"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

// BenchAddVersion times Firm.Documents.AddVersion of 1 MiB (authorize on
// the case, check the base and the lock, stream the content in while
// hashing it, the chunk, the content's record, the version row, the
// document row, its search entry, the audit entry) in a SQL store, s,
// whose database db is, against writing the same bytes into the same
// database directly, each in a transaction of its own:
//
//   - "x-bare": a plain INSERT of the bytes into a table of their own;
//   - "x-bare+sha": the same INSERT with the bytes' SHA-256, computed
//     first and stored beside them: the least a version that must carry
//     its content's hash can cost;
//   - "x-store": the store's own content repository (Blobs.Write: chunks,
//     SHA-256, the content's record), what the Firm adds to the store;
//   - "x-bare+fts", for text/plain only: the plain INSERT plus the text
//     into a bare full-text table (FTS4 with the Porter tokenizer in
//     SQLite, a tsvector under GIN in PostgreSQL, in the store's configuration), since text is
//     extracted and indexed for search in the version's transaction.
//
// Content no extractor reads (application/pdf) is stored only. Every
// write's content differs, so nothing is deduplicated. The timings take
// turns going first, and after each the database is checkpointed,
// untimed (checkpoint is the statement that does it), so that none pays
// for the checkpoint another's bytes cause.
func BenchAddVersion(b *testing.B, newStore func(b *testing.B) (s storage.Store, db *sqlx.DB, checkpoint string)) {
	for _, mt := range []string{"application/pdf", "text/plain"} {
		b.Run(strings.ReplaceAll(mt, "/", "-"), func(b *testing.B) {
			s, db, checkpoint := newStore(b)
			f, ctx, d := benchDocument(b, s)
			blob, fts, ftsInsert := "BLOB", []string{"CREATE VIRTUAL TABLE bench_fts USING fts4(body, tokenize=porter)"}, "INSERT INTO bench_fts (body) VALUES (?)"
			if db.DriverName() == "pgx" {
				blob = "BYTEA"
				fts = []string{"CREATE TABLE bench_fts (id SERIAL PRIMARY KEY, body TEXT NOT NULL, tsv TSVECTOR NOT NULL)", "CREATE INDEX bench_fts_tsv ON bench_fts USING GIN (tsv)"}
				ftsInsert = "INSERT INTO bench_fts (body, tsv) VALUES (?, to_tsvector('docket_english', ?))"
			}
			for _, q := range append([]string{
				"CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, data " + blob + " NOT NULL)",
				"CREATE TABLE bench_hashed (id INTEGER PRIMARY KEY, hash TEXT NOT NULL, data " + blob + " NOT NULL)",
			}, fts...) {
				if _, err := db.Exec(q); err != nil {
					b.Fatalf("%s: %v", q, err)
				}
			}
			text := mt == "text/plain"
			content := benchContent(text)
			seq := 0
			// bare writes the bytes with a plain INSERT in a transaction
			// of its own, with their SHA-256 beside them when sha is set,
			// and into the full-text table too when index is set.
			bare := func(sha, index bool) {
				seq++
				tx, err := db.Beginx()
				if err != nil {
					b.Fatal(err)
				}
				if sha {
					sum := sha256.Sum256(content)
					_, err = tx.Exec(tx.Rebind("INSERT INTO bench_hashed (id, hash, data) VALUES (?, ?, ?)"), seq, hex.EncodeToString(sum[:]), content)
				} else {
					_, err = tx.Exec(tx.Rebind("INSERT INTO bench_raw (id, data) VALUES (?, ?)"), seq, content)
				}
				if err != nil {
					b.Fatal(err)
				}
				if index {
					args := []any{string(content)}
					if strings.Count(ftsInsert, "?") == 2 {
						args = append(args, string(content))
					}
					if _, err := tx.Exec(tx.Rebind(ftsInsert), args...); err != nil {
						b.Fatal(err)
					}
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
			}
			base := d.Current
			steps := []benchStep{
				{name: "docket", run: func() {
					v, err := f.Documents.AddVersion(ctx, d.ID, base, docket.Content{Body: bytes.NewReader(content), MediaType: mt})
					if err != nil {
						b.Fatal(err)
					}
					base = v.Number
				}},
				{name: "bare", run: func() { bare(false, false) }},
				{name: "bare+sha", run: func() { bare(true, false) }},
				{name: "store", run: func() {
					if err := s.Update(ctx, func(tx storage.Tx) error {
						_, err := tx.Blobs().Write(ctx, bytes.NewReader(content))
						return err
					}); err != nil {
						b.Fatal(err)
					}
				}},
			}
			if text {
				steps = append(steps, benchStep{name: "bare+fts", run: func() { bare(false, true) }})
			}
			b.SetBytes(int64(len(content)))
			b.ResetTimer()
			for i := range b.N {
				for k := range steps {
					st := &steps[(i+k)%len(steps)]
					copy(content, fmt.Sprintf("%08d%d", i%100000000, k))
					t0 := time.Now()
					st.run()
					st.took += time.Since(t0)
					b.StopTimer()
					if _, err := db.Exec(checkpoint); err != nil {
						b.Fatalf("%s: %v", checkpoint, err)
					}
					b.StartTimer()
				}
			}
			took := map[string]time.Duration{}
			for _, st := range steps {
				took[st.name] = st.took
			}
			n := float64(b.N)
			b.ReportMetric(float64(took["docket"].Nanoseconds())/n, "ns/version")
			b.ReportMetric(float64(took["bare"].Nanoseconds())/n, "ns/bare")
			for _, name := range []string{"bare", "bare+sha", "store", "bare+fts"} {
				if t, ok := took[name]; ok {
					b.ReportMetric(float64(took["docket"])/float64(t), "x-"+name)
				}
			}
		})
	}
}

// benchStep is one timed write of BenchAddVersion.
type benchStep struct {
	name string
	run  func()
	took time.Duration
}

// benchContent is 1 MiB of content: random bytes, or English words for
// text.
func benchContent(text bool) []byte {
	content := make([]byte, 1<<20)
	r := rand.New(rand.NewPCG(1, 2))
	if text {
		words := strings.Fields("the witness testified that the contract was signed on the third of March in the presence of counsel and two officers")
		var buf bytes.Buffer
		for buf.Len() < len(content) {
			buf.WriteString(words[r.IntN(len(words))])
			buf.WriteByte(' ')
		}
		copy(content, buf.Bytes())
		return content
	}
	for i := range content {
		content[i] = byte(r.Uint32())
	}
	return content
}

// benchDocument opens a firm on s with a case and a document on it.
func benchDocument(b *testing.B, s storage.Store) (*docket.Firm, context.Context, document.Document) {
	f, ctx, admin := NewFirm(b, s, nil)
	client, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "María García"})
	if err != nil {
		b.Fatal(err)
	}
	c, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "García v. Globex", Client: client.ID, LeadAttorney: string(admin.ID)})
	if err != nil {
		b.Fatal(err)
	}
	d, _, err := f.Documents.Create(ctx, document.Document{Case: c.ID, Title: "Deposition exhibit", Kind: document.Evidence},
		docket.Content{Body: strings.NewReader("first"), MediaType: "text/plain"})
	if err != nil {
		b.Fatal(err)
	}
	return f, ctx, d
}
