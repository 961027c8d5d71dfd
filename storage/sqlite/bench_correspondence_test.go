package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/docketkit/docket/storage"
	"github.com/docketkit/docket/storage/sqlite"
	"github.com/docketkit/docket/storage/storagetest"
)

// BenchmarkImport: Firm.Correspondence.ImportEmail of the interop corpus
// and of a generated mailbox of 10,000 emails into a new SQLite file
// (synchronous=FULL: every email is one durable transaction), in emails
// per second and as a ratio to parsing the same emails alone.
//
//	go test ./storage/sqlite -run '^$' -bench Import -benchtime 3x
func BenchmarkImport(b *testing.B) {
	storagetest.BenchImport(b, func(b *testing.B) storage.Store {
		s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "mail.db"), nil)
		if err != nil {
			b.Fatal(err)
		}
		return s
	}, 10_000)
}
