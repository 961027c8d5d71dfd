package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/docketkit/docket/storage"
	"github.com/docketkit/docket/storage/sqlite"
	"github.com/docketkit/docket/storage/storagetest"
)

// BenchmarkAddVersion1MB: Firm.Documents.AddVersion of 1 MiB on the
// durable defaults against writing the same bytes into the same database
// directly: see storagetest.BenchAddVersion.
func BenchmarkAddVersion1MB(b *testing.B) {
	storagetest.BenchAddVersion(b, func(b *testing.B) (storage.Store, *sqlx.DB, string) {
		s := openBench(b)
		return s, s.Writer(), "PRAGMA wal_checkpoint(TRUNCATE)"
	})
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
