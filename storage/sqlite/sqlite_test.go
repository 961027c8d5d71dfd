package sqlite_test

import (
	"context"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jmoiron/sqlx"

	"github.com/docketkit/docket/storage"
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
