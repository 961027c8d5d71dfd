package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/docketkit/docket/storage"
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
