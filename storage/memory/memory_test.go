package memory_test

import (
	"testing"

	"github.com/docketkit/docket/storage"
	"github.com/docketkit/docket/storage/memory"
	"github.com/docketkit/docket/storage/storagetest"
)

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(*testing.T) storage.Store { return memory.New() })
}

func TestCorruptContent(t *testing.T) {
	storagetest.CorruptContent(t, func(t *testing.T) storage.Store { return memory.New() }, nil, func(t *testing.T, s storage.Store, hash string) {
		if !s.(*memory.Store).CorruptBlob(hash) {
			t.Fatalf("no content %s to corrupt", hash)
		}
	})
}

// BenchmarkSearch100k: Firm.Documents.Search over 100,000 documents in
// the memory store's index, first page of 20, for
// storagetest.SearchQueries: the median and 95th percentile latency.
// BenchmarkImport: Firm.Correspondence.ImportEmail of the interop corpus
// and of a generated mailbox of 10,000 emails, in emails per second and
// as a ratio to parsing the same emails alone.
func BenchmarkImport(b *testing.B) {
	storagetest.BenchImport(b, func(*testing.B) storage.Store { return memory.New() }, 10_000)
}

func BenchmarkSearch100k(b *testing.B) {
	f, ctx := storagetest.SearchCorpus(b, memory.New(), 100_000)
	storagetest.BenchSearch(b, f, ctx)
}
