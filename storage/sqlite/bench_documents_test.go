package sqlite_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docketkit/docket"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
	"github.com/docketkit/docket/storage/sqlite"
	"github.com/docketkit/docket/storage/storagetest"
)

// benchDocument opens a firm with a case and a document on it.
func benchDocument(b *testing.B, s *sqlite.Store) (*docket.Firm, context.Context, document.Document) {
	f, ctx, admin := storagetest.NewFirm(b, s, nil)
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

// BenchmarkAddVersion1MB: Firm.Documents.AddVersion of 1 MiB (authorize
// on the case, check the base and the lock, stream the content in while
// hashing it, the chunk, the content's record, the version row, the
// document row, its search entry, the audit entry) against a bare INSERT
// of the same 1 MiB into a table of the same database, in a transaction
// of its own. Every iteration's content differs, so nothing is
// deduplicated. The WAL is checkpointed, untimed, after each pair, so
// that neither side pays for the checkpoint the other's bytes cause.
//
// A third timing ("x-store") writes the same bytes through the store's own
// content repository (Blobs.Write: chunks, SHA-256, the content's record)
// in a transaction of its own: what the Firm adds to the store.
//
// Content no extractor reads (application/pdf here) is stored only. Text
// is also extracted and indexed for search in the same transaction, so
// for text/plain a second bare baseline ("x-bare+fts") adds what an index
// costs anyway: the same text INSERTed into a bare FTS4 table with the
// Porter tokenizer, in the same bare transaction.
func BenchmarkAddVersion1MB(b *testing.B) {
	for _, mt := range []string{"application/pdf", "text/plain"} {
		b.Run(strings.ReplaceAll(mt, "/", "-"), func(b *testing.B) {
			s := openBench(b)
			f, ctx, d := benchDocument(b, s)
			db := s.Writer()
			if _, err := db.Exec("CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, data BLOB NOT NULL)"); err != nil {
				b.Fatal(err)
			}
			if _, err := db.Exec("CREATE VIRTUAL TABLE bench_fts USING fts4(body, tokenize=porter)"); err != nil {
				b.Fatal(err)
			}
			text := mt == "text/plain"
			content := make([]byte, 1<<20)
			if mt == "text/plain" {
				words := strings.Fields("the witness testified that the contract was signed on the third of March in the presence of counsel and two officers")
				var buf bytes.Buffer
				r := rand.New(rand.NewPCG(1, 2))
				for buf.Len() < len(content) {
					buf.WriteString(words[r.IntN(len(words))])
					buf.WriteByte(' ')
				}
				copy(content, buf.Bytes())
			} else {
				r := rand.New(rand.NewPCG(1, 2))
				for i := 0; i < len(content); i += 8 {
					binary.LittleEndian.PutUint64(content[i:], r.Uint64())
				}
			}
			var docketT, bareT, ftsT, storeT time.Duration
			base := d.Current
			b.SetBytes(int64(len(content)))
			b.ResetTimer()
			for i := range b.N {
				binary.LittleEndian.PutUint64(content, uint64(i)) // new content every time
				copy(content[:8], fmt.Sprintf("%08d", i%100000000))
				t0 := time.Now()
				v, err := f.Documents.AddVersion(ctx, d.ID, base, docket.Content{Body: bytes.NewReader(content), MediaType: mt})
				if err != nil {
					b.Fatal(err)
				}
				base = v.Number
				t1 := time.Now()
				tx, err := db.Begin()
				if err != nil {
					b.Fatal(err)
				}
				if _, err := tx.Exec("INSERT INTO bench_raw (data) VALUES (?)", content); err != nil {
					b.Fatal(err)
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				if text {
					tx, err := db.Begin()
					if err != nil {
						b.Fatal(err)
					}
					if _, err := tx.Exec("INSERT INTO bench_raw (data) VALUES (?)", content); err != nil {
						b.Fatal(err)
					}
					if _, err := tx.Exec("INSERT INTO bench_fts (body) VALUES (?)", string(content)); err != nil {
						b.Fatal(err)
					}
					if err := tx.Commit(); err != nil {
						b.Fatal(err)
					}
					ftsT += time.Since(t2)
				}
				t3 := time.Now()
				content[8]++ // not the bytes just stored: nothing is deduplicated
				if err := s.Update(ctx, func(tx storage.Tx) error {
					_, err := tx.Blobs().Write(ctx, bytes.NewReader(content))
					return err
				}); err != nil {
					b.Fatal(err)
				}
				storeT += time.Since(t3)
				docketT += t1.Sub(t0)
				bareT += t2.Sub(t1)
				b.StopTimer()
				if _, err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			report(b, docketT, bareT, "version")
			b.ReportMetric(float64(docketT)/float64(storeT), "x-store")
			if text {
				b.ReportMetric(float64(docketT)/float64(ftsT), "x-bare+fts")
			}
		})
	}
}

// BenchmarkSearch100k: Firm.Documents.Search over 100,000 documents in
// SQLite's FTS4 index, ranked by BM25, first page of 20, for
// storagetest.SearchQueries: the median and 95th percentile latency.
func BenchmarkSearch100k(b *testing.B) {
	// Building the corpus commits 100,000 documents one by one; with
	// synchronous=NORMAL that takes minutes, not a quarter of an hour.
	// Searches only read.
	s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "search.db"), &sqlite.Options{Synchronous: "NORMAL"})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	f, ctx := storagetest.SearchCorpus(b, s, 100_000)
	storagetest.BenchSearch(b, f, ctx)
}
