package sqlite_test

import (
	"context"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jmoiron/sqlx"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/storage"
	"github.com/docketkit/docket/storage/fsblob"
	"github.com/docketkit/docket/storage/postgres"
	"github.com/docketkit/docket/storage/sqlite"
	"github.com/docketkit/docket/storage/storagetest"
)

func open(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "firm.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Store { return open(t) })
}

func TestTamper(t *testing.T) {
	storagetest.Tamper(t, func(t *testing.T) (storage.Store, *sqlx.DB) {
		s := open(t)
		return s, s.Writer()
	}, []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"})
}

// TestSQL: content corrupted behind the store's back, holds kept by its
// triggers, and a 200 MB version with the heap bounded.
func TestSQL(t *testing.T) {
	storagetest.RunSQL(t, func(t *testing.T) *sqlite.Store { return open(t) })
}

// TestFileContent runs the document tests with content in a directory
// (storage/fsblob) and the records in SQLite, and moves 200 MB through it.
func TestFileContent(t *testing.T) {
	files := func(t *testing.T) *docket.Options {
		b, err := fsblob.Open(t.TempDir(), &fsblob.Options{Grace: time.Nanosecond})
		if err != nil {
			t.Fatal(err)
		}
		return &docket.Options{Blobs: b}
	}
	storagetest.RunDocuments(t, func(t *testing.T) storage.Store { return open(t) }, files)
	t.Run("Big", func(t *testing.T) {
		s := open(t)
		defer s.Close()
		storagetest.BigContent(t, s, files(t), 200<<20)
	})
}

// TestMigrationsMatchPostgres keeps the two dialects' schemas in step.
func TestMigrationsMatchPostgres(t *testing.T) {
	lite, err := fs.ReadDir(sqlite.Migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	pg, err := fs.ReadDir(postgres.Migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	names := func(es []fs.DirEntry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Name())
		}
		return out
	}
	if d := cmp.Diff(names(lite), names(pg)); d != "" {
		t.Errorf("migration files differ between sqlite and postgres (-sqlite +postgres):\n%s", d)
	}
}

// TestDurableSettings: the settings the design promises are the ones the
// connections run with.
func TestDurableSettings(t *testing.T) {
	s := open(t)
	for _, db := range []*sqlx.DB{s.Writer(), s.Reader()} {
		var mode string
		var sync, fk, busy int
		if err := db.Get(&mode, "PRAGMA journal_mode"); err != nil {
			t.Fatal(err)
		}
		if err := db.Get(&sync, "PRAGMA synchronous"); err != nil {
			t.Fatal(err)
		}
		if err := db.Get(&fk, "PRAGMA foreign_keys"); err != nil {
			t.Fatal(err)
		}
		if err := db.Get(&busy, "PRAGMA busy_timeout"); err != nil {
			t.Fatal(err)
		}
		if mode != "wal" || sync != 2 || fk != 1 || busy != 10000 {
			t.Errorf("journal_mode %s, synchronous %d, foreign_keys %d, busy_timeout %d; want wal, 2 (FULL), 1, 10000", mode, sync, fk, busy)
		}
	}
	if _, err := s.Reader().Exec("CREATE TABLE x (a)"); err == nil {
		t.Error("the read pool accepted a write")
	}
	if n := s.Writer().Stats().MaxOpenConnections; n != 1 {
		t.Errorf("the writer pool allows %d connections, want 1", n)
	}
	if _, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "x.db"), &sqlite.Options{Synchronous: "OFF"}); err == nil {
		t.Error("Synchronous OFF was accepted")
	}
}
